/**
 * A reconnecting pub/sub subscriber behind a store's wake-ups.
 *
 * @module
 */
import type { Redis } from "ioredis";
import { createLogger, type Logger } from "@netscript/telemetry";
import { classifyStoreError } from "../classify_store_error.ts";
import { type WakeListener, WakeSignal } from "../wake_signal.ts";
import {
  closeRedisConnection,
  describeRedisTarget,
  type RedisStoreNames,
} from "./redis_connection.ts";

/** Options of {@linkcode createRedisListener}. */
export interface RedisListenerOptions {
  /** The store's connection, whose settings the subscriber copies. */
  readonly source: Redis;
  /** The channels to subscribe to. */
  readonly channels: readonly string[];
  /**
   * How log lines name the listener, e.g. `workers listener`.
   * @default {"listener"}
   */
  readonly name?: string | undefined;
  /**
   * The subscriber's name, as `CLIENT LIST` shows it.
   * @default {"netscript-listener"}
   */
  readonly connectionName?: string | undefined;
  /**
   * Where connection failures and reconnections are reported.
   * @default {a JSON logger for the service "netscript"}
   */
  readonly logger?: Logger | undefined;
  /** How failures name the store. */
  readonly store?: RedisStoreNames | undefined;
  /** Called for every message, besides waking the waiters. */
  readonly onMessage?: ((channel: string, message: string) => void) | undefined;
}

/**
 * Creates a listener on Redis pub/sub channels; nothing connects until the
 * first wait. The subscriber opens on the first wait, as a copy of the
 * source connection; ioredis reconnects it when it drops, and it
 * subscribes again each time. Whenever it (re)subscribes, current waiters
 * are woken, because something may have changed while nobody listened; a
 * message that arrives while nobody waits wakes the next wait at once.
 * While it is down, a wait simply times out.
 *
 * @param options The source connection, the channels, names and a logger.
 * @returns The listener; `close()` closes the subscriber (never the source).
 * @throws {TypeError} When there is no channel.
 *
 * @example
 * ```ts ignore
 * import { createRedisListener, openRedisConnection } from "@netscript/store/redis";
 *
 * const source = await openRedisConnection("redis://127.0.0.1:6379");
 * const listener = createRedisListener({ source, channels: ["billing:wake"], name: "billing listener" });
 * await listener.wait(1_000); // returns once subscribed, then on each PUBLISH billing:wake
 * await listener.close();
 * ```
 */
export function createRedisListener(options: RedisListenerOptions): WakeListener {
  if (options.channels.length === 0) {
    throw new TypeError("createRedisListener() needs at least one channel");
  }
  return new RedisListener(options);
}

class RedisListener implements WakeListener {
  readonly #options: RedisListenerOptions;
  readonly #name: string;
  readonly #target: string;
  readonly #logger: Logger;
  readonly #work = new WakeSignal();
  #client: Redis | null = null;
  #listening = false;
  #failing = false;
  #closed = false;

  constructor(options: RedisListenerOptions) {
    this.#options = options;
    this.#name = options.name ?? "listener";
    this.#target = describeRedisTarget(options.source);
    this.#logger = options.logger ?? createLogger({ service: "netscript" });
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return Promise.resolve();
    const woken = this.#work.wait(timeoutMs, signal);
    if (this.#client === null) this.#open();
    return woken;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#work.wake(false);
    const client = this.#client;
    this.#client = null;
    if (client !== null) await closeRedisConnection(client);
  }

  #open(): void {
    const client = this.#options.source.duplicate({
      lazyConnect: false,
      autoResubscribe: false,
      connectionName: this.#options.connectionName ?? "netscript-listener",
    });
    this.#client = client;
    client.on("message", (channel: string, message: string) => {
      this.#options.onMessage?.(channel, message);
      this.#wake();
    });
    client.on("ready", () => this.#subscribe(client));
    client.on("close", () => this.#dropped(client));
    client.on("error", (error: unknown) => this.#report(client, error));
  }

  #subscribe(client: Redis): void {
    client.subscribe(...this.#options.channels).then(() => {
      if (this.#client !== client) return;
      this.#listening = true;
      if (this.#failing) this.#logger.info(`${this.#name} reconnected`, this.#fields());
      this.#failing = false;
      this.#wake();
    }, (error: unknown) => this.#report(client, error));
  }

  /** The connection closed; ioredis reconnects it. Waiters re-check, since messages may be lost. */
  #dropped(client: Redis): void {
    if (this.#client !== client || !this.#listening) return;
    this.#listening = false;
    this.#report(client, new Error("the subscriber connection closed"));
    this.#wake();
  }

  /** Logs the first failure of a streak; the next subscription ends the streak. */
  #report(client: Redis, error: unknown): void {
    if (this.#client !== client || this.#failing) return;
    this.#failing = true;
    this.#logger.warn(`${this.#name} cannot listen; waits fall back to polling`, {
      ...this.#fields(),
      error: classifyStoreError(error, {
        ...this.#options.store,
        driver: "redis",
        target: this.#target,
      }),
    });
  }

  /** Wakes the waiters; with none, the next wait returns at once only while listening. */
  #wake(): void {
    this.#work.wake(this.#listening);
  }

  #fields() {
    return { target: this.#target, channels: this.#options.channels };
  }
}
