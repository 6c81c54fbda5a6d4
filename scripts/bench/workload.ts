/**
 * The one request every benchmark target answers: an RPC call of the `ping`
 * procedure with input `{ n: 1 }`, in oRPC's RPC wire format. Raw
 * `Deno.serve` answers the same path with a hand-written JSON echo, so all
 * targets receive and return the same bytes.
 *
 * @module
 */

/** The interface every benchmark server listens on. */
export const LOOPBACK = "127.0.0.1";

/** Where the RPC handler is mounted: NetScript's fixed `/api/rpc`. */
export const RPC_PREFIX = "/api/rpc";

/** The path of the `ping` procedure under {@linkcode RPC_PREFIX}. */
export const PING_PATH = `${RPC_PREFIX}/ping`;

/** The request body: the RPC encoding of `{ n: 1 }`. */
export const PING_BODY = '{"json":{"n":1}}';

/** The response body every target must send back for {@linkcode PING_BODY}. */
export const PING_RESPONSE = '{"json":{"n":1}}';
