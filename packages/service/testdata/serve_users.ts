/**
 * Serves the test users service as a real process, for the shutdown tests.
 * `SHUTDOWN_TIMEOUT_MS` sets the graceful shutdown bound.
 *
 * @module
 */
import { createUsersService } from "./users_service.ts";

createUsersService().serve({
  shutdownTimeoutMs: Number(Deno.env.get("SHUTDOWN_TIMEOUT_MS") ?? 10_000),
  onShutdown: () => console.log(JSON.stringify({ msg: "onShutdown ran" })),
});
