/**
 * The revocation feed: how `auth-api` tells every guarded service, at once,
 * that a session has ended, so a guard may keep the sessions it checked in
 * memory without serving a revoked one. A guard holds one WebSocket to
 * `auth-api`'s {@linkcode REVOCATION_FEED_PATH}, proves it belongs to the
 * workspace with a service credential, and acknowledges each revocation
 * after forgetting the session; `auth-api` answers a sign-out or a revoke
 * only once every subscribed guard has acknowledged (a guard that does not
 * within the timeout is disconnected, and a disconnected guard keeps no
 * sessions in memory).
 *
 * Messages are JSON: the guard sends `{ type: "hello", credential }` then
 * `{ type: "ack", seq }`; `auth-api` sends `{ type: "ready" }` then
 * `{ type: "revoked", seq, sessions }`. Once ready, the guard also sends
 * `{ type: "ping" }` every few seconds and `auth-api` answers
 * `{ type: "pong" }`: a guard that hears nothing for three of them counts
 * the feed lost, as it does when the socket closes.
 *
 * @module
 */

/** Where `auth-api` serves the feed. */
export const REVOCATION_FEED_PATH = "/auth/revocations";

/** The close code for a subscriber without a valid service credential. */
export const FEED_CLOSE_UNAUTHORIZED = 4401;

/** The close code for a subscriber that did not acknowledge in time. */
export const FEED_CLOSE_TOO_SLOW = 4408;

/**
 * Reads a feed message.
 *
 * @param data What the socket received.
 * @returns The message, or `undefined` for anything that is not a JSON object.
 */
export function parseFeedMessage(
  data: unknown,
): Record<string, unknown> & { type?: unknown } | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const value = JSON.parse(data);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
