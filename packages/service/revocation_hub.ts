/**
 * The hub of the revocation feed, in `auth-api`: it accepts guards'
 * subscriptions and tells them about ended sessions, waiting for each
 * acknowledgement (see `revocation_feed.ts` for the protocol).
 *
 * @module
 */
import { verifyServiceCredential } from "@netscript/contracts/credential";
import { createLogger, type Logger } from "@netscript/telemetry";
import {
  FEED_CLOSE_TOO_SLOW,
  FEED_CLOSE_UNAUTHORIZED,
  parseFeedMessage,
} from "./revocation_feed.ts";

/** Options of {@linkcode createRevocationHub}. */
export interface RevocationHubOptions {
  /**
   * The workspace's service secret: subscribers prove themselves with a
   * credential signed with it. Without one, every subscriber is refused
   * (guards then keep no sessions in memory).
   */
  readonly serviceSecret: Uint8Array | undefined;
  /**
   * How long a revocation waits for every subscriber's acknowledgement
   * before the slow ones are disconnected, in milliseconds.
   * @default {2000}
   */
  readonly ackTimeoutMs?: number;
  /**
   * How long a new connection may take to send its credential, in milliseconds.
   * @default {5000}
   */
  readonly helloTimeoutMs?: number;
  /** Where refusals and disconnections are logged. */
  readonly logger?: Logger;
}

/** The hub of the revocation feed, in `auth-api`. */
export interface RevocationHub {
  /** How many guards are subscribed and ready. */
  readonly subscribers: number;
  /**
   * Accepts a guard's WebSocket upgrade request.
   *
   * @param request The upgrade request.
   * @returns The upgrade response, or 426 for a request that is not a WebSocket upgrade.
   */
  accept(request: Request): Response;
  /**
   * Tells every subscribed guard that sessions have ended, and resolves
   * once each acknowledged (or was disconnected for not doing so in time).
   *
   * @param sessions The ids of the ended sessions.
   */
  publish(sessions: readonly string[]): Promise<void>;
  /** Disconnects every subscriber. */
  close(): void;
}

interface Subscriber {
  readonly socket: WebSocket;
  /** Set by its first hello: later ones are ignored. */
  greeted: boolean;
  /** Drops it if no hello arrives in time. */
  helloTimer?: ReturnType<typeof setTimeout>;
  ready: boolean;
  readonly waiting: Map<number, () => void>;
}

/**
 * Creates the hub `auth-api` serves the revocation feed from.
 *
 * @param options The service secret and the timeouts.
 * @returns The hub.
 *
 * @example
 * ```ts ignore
 * import { createRevocationHub } from "@netscript/service";
 *
 * const hub = createRevocationHub({ serviceSecret: undefined });
 * await hub.publish(["session-1"]); // resolves at once: nobody subscribed
 * ```
 */
export function createRevocationHub(options: RevocationHubOptions): RevocationHub {
  const ackTimeoutMs = options.ackTimeoutMs ?? 2_000;
  const helloTimeoutMs = options.helloTimeoutMs ?? 5_000;
  const logger = options.logger ?? createLogger({ service: "auth-api" });
  const subscribers = new Set<Subscriber>();
  let seq = 0;

  const drop = (subscriber: Subscriber, code: number, reason: string) => {
    clearTimeout(subscriber.helloTimer);
    subscribers.delete(subscriber);
    for (const resolve of subscriber.waiting.values()) resolve();
    subscriber.waiting.clear();
    try {
      subscriber.socket.close(code, reason);
    } catch {
      // Already closing.
    }
  };

  return {
    get subscribers() {
      return [...subscribers].filter((subscriber) => subscriber.ready).length;
    },
    accept(request) {
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("The revocation feed is a WebSocket", { status: 426 });
      }
      const { socket, response } = Deno.upgradeWebSocket(request);
      const subscriber: Subscriber = { socket, greeted: false, ready: false, waiting: new Map() };
      subscribers.add(subscriber);
      subscriber.helloTimer = setTimeout(
        () => drop(subscriber, FEED_CLOSE_UNAUTHORIZED, "no credential"),
        helloTimeoutMs,
      );
      socket.onclose = () => drop(subscriber, 1000, "closed");
      socket.onmessage = async (event) => {
        const message = parseFeedMessage(event.data);
        if (message?.type === "ack" && typeof message.seq === "number") {
          subscriber.waiting.get(message.seq)?.();
          subscriber.waiting.delete(message.seq);
          return;
        }
        if (message?.type === "ping") {
          if (subscriber.ready && socket.readyState === WebSocket.OPEN) {
            socket.send(JSON.stringify({ type: "pong" }));
          }
          return;
        }
        if (message?.type !== "hello" || subscriber.greeted) return;
        subscriber.greeted = true;
        clearTimeout(subscriber.helloTimer);
        const claims = options.serviceSecret === undefined || typeof message.credential !== "string"
          ? null
          : await verifyServiceCredential(options.serviceSecret, message.credential);
        if (!subscribers.has(subscriber)) return;
        if (claims === null) {
          logger.warn("a revocation feed subscriber was refused: no valid service credential");
          drop(subscriber, FEED_CLOSE_UNAUTHORIZED, "invalid credential");
          return;
        }
        subscriber.ready = true;
        socket.send(JSON.stringify({ type: "ready" }));
      };
      return response;
    },
    async publish(sessions) {
      if (sessions.length === 0) return;
      const current = ++seq;
      const text = JSON.stringify({ type: "revoked", seq: current, sessions });
      const acks: Promise<void>[] = [];
      for (const subscriber of subscribers) {
        if (!subscriber.ready || subscriber.socket.readyState !== WebSocket.OPEN) continue;
        acks.push(
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              logger.warn("a revocation feed subscriber did not acknowledge in time", {
                timeoutMs: ackTimeoutMs,
              });
              drop(subscriber, FEED_CLOSE_TOO_SLOW, "no acknowledgement");
              resolve();
            }, ackTimeoutMs);
            subscriber.waiting.set(current, () => {
              clearTimeout(timer);
              resolve();
            });
            try {
              subscriber.socket.send(text);
            } catch {
              drop(subscriber, FEED_CLOSE_TOO_SLOW, "cannot be sent to");
            }
          }),
        );
      }
      await Promise.all(acks);
    },
    close() {
      for (const subscriber of [...subscribers]) drop(subscriber, 1001, "auth-api stopping");
    },
  };
}
