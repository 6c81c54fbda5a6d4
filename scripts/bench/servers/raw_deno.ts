/**
 * Target 1, the floor: `Deno.serve` with a hand-written JSON echo of the
 * `ping` call. It parses the body, checks `n` and answers the same bytes as
 * the RPC targets, with no framework in between.
 *
 * @module
 */
import { PING_PATH } from "../workload.ts";
import { serveLoopback } from "./serve_loopback.ts";
import { parseServerArgs } from "./server_protocol.ts";

const { port } = parseServerArgs(Deno.args);

serveLoopback(port, async (request) => {
  if (request.method !== "POST" || new URL(request.url).pathname !== PING_PATH) {
    return new Response(null, { status: 404 });
  }
  const body = await request.json() as { json?: { n?: unknown } };
  const n = body.json?.n;
  if (typeof n !== "number") return new Response(null, { status: 400 });
  return Response.json({ json: { n } });
});
