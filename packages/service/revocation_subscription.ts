/**
 * A guard's subscription to `auth-api`'s revocation feed (see
 * `revocation_feed.ts` for the protocol).
 *
 * @module
 */
import type { Logger } from "@netscript/telemetry";
import { parseFeedMessage, REVOCATION_FEED_PATH } from "./revocation_feed.ts";

/** Options of {@linkcode subscribeToRevocations}. */
export interface RevocationSubscriptionOptions {
  /** The base URL of `auth-api`, e.g. `http://localhost:8094`. */
  readonly authUrl: string;
  /**
   * Makes the credential the subscription proves itself with.
   *
   * @returns A service credential.
   */
  credential(): Promise<string>;
  /** Called once `auth-api` accepted the subscription: from now on, every revocation arrives. */
  onReady(): void;
  /**
   * Called for each revocation, before it is acknowledged.
   *
   * @param sessions The ids of the ended sessions.
   */
  onRevoked(sessions: readonly string[]): void;
  /** Called when the subscription is lost; it is made again after a pause. */
  onLost(): void;
  /** Where connection failures are logged. */
  readonly logger: Logger;
  /**
   * How often the subscription asks `auth-api` whether it is still there,
   * in milliseconds; after three of these without a word from it, the
   * subscription counts as lost (a link that died without closing).
   * @default {5000}
   */
  readonly heartbeatMs?: number;
}

/** A guard's subscription to the feed. */
export interface RevocationSubscription {
  /** Ends the subscription for good. */
  close(): void;
}

/**
 * Subscribes to `auth-api`'s revocation feed, and subscribes again after a
 * pause (1 s, doubling up to 10 s) whenever the connection is lost. Once
 * ready, it pings `auth-api` every `heartbeatMs`, and counts the
 * subscription lost when nothing has come back for three of them.
 *
 * @param options Where, how to prove itself, and what to do with each message.
 * @returns The subscription.
 */
export function subscribeToRevocations(
  options: RevocationSubscriptionOptions,
): RevocationSubscription {
  const url = new URL(`${options.authUrl.replace(/\/+$/, "")}${REVOCATION_FEED_PATH}`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  let closed = false;
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let pauseMs = 1_000;
  let warned = false;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stopHeartbeat = () => {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    heartbeat = undefined;
  };

  const retryLater = (error: unknown) => {
    options.logger.warn("cannot subscribe to session revocations", { error, retryInMs: pauseMs });
    if (!closed) retry = setTimeout(connect, pauseMs);
    pauseMs = Math.min(pauseMs * 2, 10_000);
  };
  const connect = async () => {
    retry = undefined;
    let credential: string;
    let current: WebSocket;
    try {
      credential = await options.credential();
      if (closed) return;
      current = new WebSocket(url);
    } catch (error) {
      retryLater(error);
      return;
    }
    socket = current;
    let lastHeard = Date.now();
    current.onopen = () => current.send(JSON.stringify({ type: "hello", credential }));
    current.onmessage = (event) => {
      lastHeard = Date.now();
      const message = parseFeedMessage(event.data);
      if (message?.type === "ready") {
        pauseMs = 1_000;
        warned = false;
        options.onReady();
        stopHeartbeat();
        heartbeat = setInterval(() => {
          if (Date.now() - lastHeard > heartbeatMs * 3) {
            stopHeartbeat();
            options.onLost();
            current.close(4000, "auth-api is silent");
            return;
          }
          if (current.readyState === WebSocket.OPEN) current.send(JSON.stringify({ type: "ping" }));
        }, heartbeatMs);
      } else if (message?.type === "revoked" && Array.isArray(message.sessions)) {
        options.onRevoked(message.sessions.filter((id): id is string => typeof id === "string"));
        current.send(JSON.stringify({ type: "ack", seq: message.seq }));
      }
    };
    current.onerror = (event) => {
      event.preventDefault();
    };
    current.onclose = (event) => {
      stopHeartbeat();
      if (socket === current) socket = undefined;
      options.onLost();
      if (closed) return;
      if (!warned) {
        warned = true;
        options.logger.warn(
          "the session revocation feed is not connected: sessions are checked with auth-api on every request until it is",
          { code: event.code, retryInMs: pauseMs },
        );
      }
      retry = setTimeout(connect, pauseMs);
      pauseMs = Math.min(pauseMs * 2, 10_000);
    };
  };
  void connect();
  return {
    close() {
      closed = true;
      stopHeartbeat();
      if (retry !== undefined) clearTimeout(retry);
      socket?.close(1000, "guard closing");
    },
  };
}
