/**
 * "Tracing to nowhere": an OTLP/HTTP receiver that holds the same export
 * conversation as a collector and does nothing with what it receives. It
 * answers every `POST /v1/*` with 200 and an empty protobuf body after
 * reading the request body and dropping it, and counts the trace exports
 * that carried a body. SIGTERM stops it and writes the count.
 *
 * @module
 */
import { LOOPBACK } from "../workload.ts";
import { parseServerArgs, writeServerReport } from "./server_protocol.ts";

const { port } = parseServerArgs(Deno.args);
let traceExports = 0;

const server = Deno.serve({ port, hostname: LOOPBACK, onListen: () => {} }, async (request) => {
  const path = new URL(request.url).pathname;
  if (request.method !== "POST" || !path.startsWith("/v1/")) {
    await request.body?.cancel();
    return new Response(null, { status: 404 });
  }
  const body = await request.arrayBuffer();
  if (path === "/v1/traces" && body.byteLength > 0) traceExports++;
  return new Response(null, { headers: { "content-type": "application/x-protobuf" } });
});

Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  writeServerReport({ traceExports });
  Deno.exit(0);
});
