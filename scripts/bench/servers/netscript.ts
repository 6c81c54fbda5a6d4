/**
 * Targets 3 and 4: the `ping` router served by NetScript's `createService`,
 * with its defaults (a JSON log line per request on stdout, a span per
 * procedure call). `--tracing` registers a real tracer provider first;
 * without it no provider is registered and spans are no-ops.
 * `--no-request-log` turns the per-request log line off, for the extra row.
 *
 * @module
 */
import { createService } from "@netscript/service";
import { LOOPBACK } from "../workload.ts";
import { registerCountingTracer } from "./counting_tracer.ts";
import { pingContract, pingRouter } from "./ping_router.ts";
import { parseServerArgs, writeServerReport } from "./server_protocol.ts";

const { port, tracing, requestLog } = parseServerArgs(Deno.args);
const tracer = tracing ? registerCountingTracer() : undefined;

createService({
  name: "bench",
  contract: pingContract,
  router: pingRouter,
  logRequests: requestLog,
}).serve({
  port,
  hostname: LOOPBACK,
  onShutdown: async () => {
    if (!tracer) return;
    await tracer.shutdown();
    writeServerReport({ spansExported: tracer.spansExported() });
  },
});
