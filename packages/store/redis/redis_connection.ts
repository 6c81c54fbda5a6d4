/**
 * Opening and closing ioredis connections with bounded waits. ioredis
 * reconnects forever and keeps commands queued while it does; these
 * connections keep the reconnecting (a Redis restart should not stop a
 * process for good) but fail a command after a few reconnection attempts,
 * and fail the first connection at once.
 *
 * @module
 */
import { Redis } from "ioredis";
import { NetScriptError } from "@netscript/contracts/errors";
import { createLogger, type Logger } from "@netscript/telemetry";
import {
  classifyStoreError,
  type StoreErrorOptions,
  storeUnavailableError,
} from "../classify_store_error.ts";
import { redactSecrets } from "../redact.ts";

/** How failures name the store; the driver and the target are filled in. */
export type RedisStoreNames = Omit<StoreErrorOptions, "driver" | "target">;

/** Options of {@linkcode createRedisConnection}. */
export interface RedisConnectionOptions {
  /**
   * How long connecting may take, and each reconnection attempt later.
   * @default {10000}
   */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * The connection's name, as `CLIENT LIST` shows it.
   * @default {"netscript"}
   */
  readonly connectionName?: string | undefined;
  /**
   * Commands fail after this many reconnection attempts.
   * @default {2}
   */
  readonly retriesPerCommand?: number | undefined;
}

/**
 * Creates a connection that connects on {@linkcode connectRedis}: bounded
 * retries per command, and a reconnection delay that grows to 2 s.
 *
 * @param url The Redis URL.
 * @param options Timeouts, name and retries.
 * @returns The connection, not connected yet.
 *
 * @example
 * ```ts ignore
 * import { connectRedis, createRedisConnection } from "@netscript/store/redis";
 *
 * const client = createRedisConnection("redis://127.0.0.1:6379", { connectionName: "billing" });
 * await connectRedis(client, { store: { dependency: "billing store" } });
 * ```
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    maxRetriesPerRequest: options.retriesPerCommand ?? 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    connectionName: options.connectionName ?? "netscript",
  });
}

/**
 * Names the server and database a connection points at, without
 * credentials, for messages.
 *
 * @param client The connection.
 * @returns `host:port/db`, or the socket path and db.
 *
 * @example
 * ```ts ignore
 * import { createRedisConnection, describeRedisTarget } from "@netscript/store/redis";
 *
 * console.log(describeRedisTarget(createRedisConnection("redis://:secret@cache:6380/2"))); // "cache:6380/2"
 * ```
 */
export function describeRedisTarget(client: Redis): string {
  const { host, port, path, db } = client.options;
  return path ? `${path}/${db ?? 0}` : `${host ?? "localhost"}:${port ?? 6379}/${db ?? 0}`;
}

/** Options of {@linkcode connectRedis}. */
export interface ConnectRedisOptions {
  /**
   * The longest wait, including the handshake.
   * @default {10000}
   */
  readonly timeoutMs?: number | undefined;
  /** How the error names the store. */
  readonly store?: RedisStoreNames | undefined;
}

/**
 * Connects, or fails within `timeoutMs` with the reason: the first attempt
 * that fails ends it, and the connection is closed then, so nothing keeps
 * retrying in the background.
 *
 * @param client A connection that has not connected yet.
 * @param options The longest wait and how to name the store.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when it cannot connect.
 *
 * @example
 * ```ts ignore
 * import { connectRedis, createRedisConnection } from "@netscript/store/redis";
 *
 * const client = createRedisConnection("redis://127.0.0.1:6379");
 * await connectRedis(client, { timeoutMs: 3_000 });
 * ```
 */
export async function connectRedis(
  client: Redis,
  options: ConnectRedisOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let failure: unknown;
  const remember = (error: unknown) => failure = error;
  client.on("error", remember);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const connecting = client.connect();
  connecting.catch(() => {/* the race below reports it */});
  try {
    await Promise.race([connecting, timedOut]);
  } catch (error) {
    await closeRedisConnection(client);
    const cause = failure ?? error;
    throw storeUnavailableError(cause instanceof Error ? cause.message : String(cause), {
      ...options.store,
      driver: "redis",
      target: describeRedisTarget(client),
      cause,
    });
  } finally {
    clearTimeout(timer);
    client.off("error", remember);
  }
}

/** Options of {@linkcode openRedisConnection}. */
export interface OpenRedisConnectionOptions extends RedisConnectionOptions {
  /** How errors name the store. */
  readonly store?: RedisStoreNames | undefined;
}

/**
 * Checks a Redis URL, creates a connection and connects it: what a store
 * adapter does first.
 *
 * @param url A `redis://` or `rediss://` URL.
 * @param options Timeouts, name, retries and how errors name the store.
 * @returns The connected connection; close it with {@linkcode closeRedisConnection}.
 * @throws {NetScriptError} `STORE_INVALID` when the URL is not a
 * `redis://` or `rediss://` URL (its password left out of the message);
 * `STORE_UNAVAILABLE` when Redis cannot be reached.
 *
 * @example
 * ```ts ignore
 * import { closeRedisConnection, openRedisConnection } from "@netscript/store/redis";
 *
 * const client = await openRedisConnection("redis://127.0.0.1:6379", {
 *   connectionName: "netscript-billing",
 *   store: { dependency: "billing store" },
 * });
 * console.log(await client.ping()); // "PONG"
 * await closeRedisConnection(client);
 * ```
 */
export async function openRedisConnection(
  url: string,
  options: OpenRedisConnectionOptions = {},
): Promise<Redis> {
  if (!/^rediss?:\/\//i.test(url)) {
    const shown = redactSecrets(url).replace(/\/\/[^@/]*@/, "//***@");
    const label = options.store?.label ?? `the ${options.store?.dependency ?? "store"}`;
    throw new NetScriptError(
      "STORE_INVALID",
      `The Redis URL ${JSON.stringify(shown)} of ${label} must start with redis:// or rediss://`,
      { details: { url: shown } },
    );
  }
  const client = createRedisConnection(url, options);
  await connectRedis(client, { timeoutMs: options.connectTimeoutMs, store: options.store });
  return client;
}

/**
 * Closes a connection: `QUIT` when it is up, else at once; resolves once
 * its socket is gone.
 *
 * @param client The connection.
 * @returns Resolves once closed.
 *
 * @example
 * ```ts ignore
 * import { closeRedisConnection, createRedisConnection } from "@netscript/store/redis";
 *
 * await closeRedisConnection(createRedisConnection("redis://127.0.0.1:6379"));
 * ```
 */
export async function closeRedisConnection(client: Redis): Promise<void> {
  const open = ["connecting", "connect", "ready"].includes(client.status);
  const ended = open ? new Promise((resolve) => client.once("end", resolve)) : undefined;
  if (client.status === "ready") {
    await client.quit().catch(() => client.disconnect());
  } else if (client.status !== "end") {
    client.disconnect();
  }
  await ended;
}

/** Options of {@linkcode reportRedisConnection}. */
export interface ReportRedisConnectionOptions {
  /**
   * How log lines name the connection, e.g. `workers store connection`.
   * @default {"store connection"}
   */
  readonly name?: string | undefined;
  /**
   * Where the lines go.
   * @default {a JSON logger for the service "netscript"}
   */
  readonly logger?: Logger | undefined;
  /** How failures name the store. */
  readonly store?: RedisStoreNames | undefined;
}

/**
 * Logs a long-lived connection's trouble once per streak: its first
 * failure or drop as a warning (`<name> failed; reconnecting`, with the
 * classified error), and its return at info (`<name> is back`).
 *
 * @param client The connection.
 * @param options How to name it and where to log.
 * @returns A function that stops the reporting.
 *
 * @example
 * ```ts ignore
 * import { openRedisConnection, reportRedisConnection } from "@netscript/store/redis";
 *
 * const client = await openRedisConnection("redis://127.0.0.1:6379");
 * const stop = reportRedisConnection(client, { name: "billing store connection" });
 * stop();
 * ```
 */
export function reportRedisConnection(
  client: Redis,
  options: ReportRedisConnectionOptions = {},
): () => void {
  const logger = options.logger ?? createLogger({ service: "netscript" });
  const name = options.name ?? "store connection";
  const target = describeRedisTarget(client);
  let failing = false;
  const report = (error: unknown) => {
    if (failing) return;
    failing = true;
    logger.warn(`${name} failed; reconnecting`, {
      target,
      error: classifyStoreError(error, { ...options.store, driver: "redis", target }),
    });
  };
  const onError = (error: unknown) => report(error);
  const onReconnecting = () => report(new Error("Connection is closed."));
  const onReady = () => {
    if (failing) logger.info(`${name} is back`, { target });
    failing = false;
  };
  client.on("error", onError);
  client.on("reconnecting", onReconnecting);
  client.on("ready", onReady);
  return () => {
    client.off("error", onError);
    client.off("reconnecting", onReconnecting);
    client.off("ready", onReady);
  };
}
