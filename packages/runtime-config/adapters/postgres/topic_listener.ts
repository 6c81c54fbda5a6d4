/**
 * The watches of one Postgres config store, woken by `netscript_config`
 * notifications over `@netscript/store`'s reconnecting listener.
 *
 * @module
 */
// @ts-types="@types/pg"
import type { ClientConfig } from "pg";
import { createPostgresListener } from "@netscript/store/postgres";
import type { WakeListener } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";
import { CHANNEL } from "./config_sql.ts";

/**
 * How often every watched topic is read again without a notification: the
 * bound on how long a change made while the listening connection was down
 * takes to be seen, and on how long a lost connection takes to be retried.
 */
export const RESYNC_MS = 2_000;

/** Options of {@linkcode TopicListener}. */
export interface TopicListenerOptions {
  /** The connection settings (a `pg` client config with `connectionString`). */
  readonly config: ClientConfig;
  /** Where a lost connection is reported. */
  readonly logger: Logger;
}

/**
 * Dispatches `netscript_config` notifications (payload: the topic's name)
 * to the watches of that topic; while any watch is open it also wakes
 * every watch each {@linkcode RESYNC_MS}, so a change missed while the
 * connection was down is still read.
 */
export class TopicListener {
  readonly #subscribers = new Map<string, Set<() => void>>();
  readonly #listener: WakeListener;
  #resync: AbortController | undefined;

  /**
   * @param options The connection and the logger.
   */
  constructor(options: TopicListenerOptions) {
    this.#listener = createPostgresListener({
      config: options.config,
      channels: [CHANNEL],
      name: "config listener",
      applicationName: "netscript-config-listener",
      logger: options.logger,
      store: { dependency: "config store" },
      onNotification: (_channel, topic) => {
        for (const wake of this.#subscribers.get(topic ?? "") ?? []) wake();
      },
    });
  }

  /**
   * Calls `wake` on each change of `topic` (and on each resync).
   *
   * @param topic The topic.
   * @param wake Called to make the watch read again.
   * @returns Stops calling it.
   */
  subscribe(topic: string, wake: () => void): () => void {
    let wakes = this.#subscribers.get(topic);
    if (wakes === undefined) this.#subscribers.set(topic, wakes = new Set());
    wakes.add(wake);
    if (this.#resync === undefined) this.#startResync();
    return () => {
      wakes.delete(wake);
      if (wakes.size === 0 && this.#subscribers.get(topic) === wakes) {
        this.#subscribers.delete(topic);
      }
      if (this.#subscribers.size === 0) this.#stopResync();
    };
  }

  /** Stops listening; the watches end on their own signals. */
  async close(): Promise<void> {
    this.#stopResync();
    await this.#listener.close();
  }

  /** Keeps the listening connection up (each wait reconnects it) and wakes every watch after each wait. */
  #startResync(): void {
    const resync = new AbortController();
    this.#resync = resync;
    (async () => {
      while (!resync.signal.aborted) {
        await this.#listener.wait(RESYNC_MS, resync.signal);
        if (resync.signal.aborted) return;
        for (const wakes of this.#subscribers.values()) for (const wake of wakes) wake();
      }
    })();
  }

  #stopResync(): void {
    this.#resync?.abort();
    this.#resync = undefined;
  }
}
