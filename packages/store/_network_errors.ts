/**
 * The socket failures that mean a server store cannot be reached, shared by
 * every driver that talks to one over the network (PostgreSQL, Redis).
 *
 * @module
 */

/** Socket failure codes Node reports while connecting or talking to a server. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);
