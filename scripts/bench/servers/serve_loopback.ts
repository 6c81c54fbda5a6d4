/**
 * Serves a plain fetch handler on the loopback interface and stops it
 * cleanly on SIGTERM, for the two targets that are not NetScript services.
 *
 * @module
 */
import { LOOPBACK } from "../workload.ts";

/**
 * Starts `Deno.serve` on `127.0.0.1:<port>`; SIGTERM drains it and exits 0.
 *
 * @param port The port to listen on.
 * @param handler The request handler.
 */
export function serveLoopback(port: number, handler: Deno.ServeHandler): void {
  const server = Deno.serve({ port, hostname: LOOPBACK, onListen: () => {} }, handler);
  Deno.addSignalListener("SIGTERM", () => {
    server.shutdown().then(() => Deno.exit(0));
  });
}
