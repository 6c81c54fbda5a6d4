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
 * `{ type: "revoked", seq, sessions }`.
 *
 * @module
 */
import { verifyServiceCredential } from "@netscript/contracts/credential";
import { createLogger, type Logger } from "@netscript/telemetry";

/** Where `auth-api` serves the feed. */
export const REVOCATION_FEED_PATH = "/auth/revocations";

/** The close code for a subscriber without a valid service credential. */
export const FEED_CLOSE_UNAUTHORIZED = 4401;

/** The close code for a subscriber that did not acknowledge in time. */
export const FEED_CLOSE_TOO_SLOW = 4408;

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
        const message = _parse(event.data);
        if (message?.type === "ack" && typeof message.seq === "number") {
          subscriber.waiting.get(message.seq)?.();
          subscriber.waiting.delete(message.seq);
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
}

/** A guard's subscription to the feed. */
export interface RevocationSubscription {
  /** Ends the subscription for good. */
  close(): void;
}

/**
 * Subscribes to `auth-api`'s revocation feed, and subscribes again after a
 * pause (1 s, doubling up to 10 s) whenever the connection is lost.
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
    current.onopen = () => current.send(JSON.stringify({ type: "hello", credential }));
    current.onmessage = (event) => {
      const message = _parse(event.data);
      if (message?.type === "ready") {
        pauseMs = 1_000;
        warned = false;
        options.onReady();
      } else if (message?.type === "revoked" && Array.isArray(message.sessions)) {
        options.onRevoked(message.sessions.filter((id): id is string => typeof id === "string"));
        current.send(JSON.stringify({ type: "ack", seq: message.seq }));
      }
    };
    current.onerror = (event) => {
      event.preventDefault();
    };
    current.onclose = (event) => {
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
      if (retry !== undefined) clearTimeout(retry);
      socket?.close(1000, "guard closing");
    },
  };
}

/** A feed message, or `undefined` for anything that is not a JSON object with a `type`. */
function _parse(data: unknown): Record<string, unknown> & { type?: unknown } | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const value = JSON.parse(data);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
