/**
 * The NetScript rows: the `ping` router served by NetScript's
 * `createService`, with its defaults (a JSON log line per request on stdout,
 * a span per procedure call). `--tracing` registers a real tracer provider
 * first; without it no provider is registered and spans are no-ops.
 * `--no-request-log` turns the per-request log line off, for the extra row.
 * `--auth-url=<url>` guards the service with `createGuard` over the
 * `auth-api` there (the workspace's secret from `NETSCRIPT_SERVICE_SECRET`,
 * so the guard subscribes to the revocation feed and keeps checked sessions
 * in memory) and makes every procedure require a session
 * (`defaultAccess: "all"`); it reports how many session checks it sent
 * `auth-api`. `--session-cache-ttl-ms=0` keeps no session in memory, so
 * every request is checked with `auth-api`.
 *
 * @module
 */
import { SERVICE_SECRET_VARIABLE, serviceSecretKey } from "@netscript/contracts/credential";
import { createGuard, createService, type Guard } from "@netscript/service";
import { LOOPBACK } from "../workload.ts";
import { registerCountingTracer } from "./counting_tracer.ts";
import { pingContract, pingRouter } from "./ping_router.ts";
import { parseServerArgs, writeServerReport } from "./server_protocol.ts";

const { port, tracing, requestLog, authUrl, sessionCacheTtlMs } = parseServerArgs(Deno.args);
const tracer = tracing ? registerCountingTracer() : undefined;
let sessionChecks = 0;
const guard: Guard | null = authUrl === undefined ? null : createGuard({
  authUrl,
  serviceSecret: serviceSecretKey(Deno.env.get(SERVICE_SECRET_VARIABLE)),
  subject: "bench",
  ...(sessionCacheTtlMs === undefined ? {} : { cacheTtlMs: sessionCacheTtlMs }),
  fetch: (request) => {
    sessionChecks++;
    return fetch(request);
  },
});

createService({
  name: "bench",
  contract: pingContract,
  router: pingRouter,
  logRequests: requestLog,
  guard,
  defaultAccess: guard === null ? "public" : "all",
}).serve({
  port,
  hostname: LOOPBACK,
  onShutdown: async () => {
    if (tracer) await tracer.shutdown();
    if (!tracer && guard === null) return;
    writeServerReport({
      ...(tracer ? { spansExported: tracer.spansExported() } : {}),
      ...(guard === null ? {} : { sessionChecks }),
    });
  },
});
