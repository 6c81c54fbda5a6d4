/**
 * Target 2, the baseline NetScript is held to: oRPC's `RPCHandler` with no
 * plugins or interceptors, mounted on `Deno.serve` at the same prefix
 * NetScript uses, serving the same router.
 *
 * @module
 */
import { RPCHandler } from "@orpc/server/fetch";
import { RPC_PREFIX } from "../workload.ts";
import { pingRouter } from "./ping_router.ts";
import { serveLoopback } from "./serve_loopback.ts";
import { parseServerArgs } from "./server_protocol.ts";

const { port } = parseServerArgs(Deno.args);
const handler = new RPCHandler(pingRouter);

serveLoopback(port, async (request) => {
  const { matched, response } = await handler.handle(request, {
    prefix: RPC_PREFIX,
    context: { headers: request.headers },
  });
  return matched ? response : new Response(null, { status: 404 });
});
