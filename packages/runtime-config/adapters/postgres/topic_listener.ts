/**
 * One dedicated `LISTEN netscript_config` connection per store, shared by
 * its watches.
 *
 * @module
 */
// @ts-types="@types/pg"
import pg from "pg";
import type { Logger } from "@netscript/telemetry";
import { CHANNEL } from "./config_sql.ts";
import { redactPassword, storeUnavailableError } from "./store_errors.ts";

/** Options of {@linkcode TopicListener}. */
export interface TopicListenerOptions {
  /** The connection settings. */
  config: pg.ClientConfig;
  /** The database URL, for messages (its password never shows). */
  url: string;
  /** Where a lost connection and its recovery are reported. */
  logger: Logger;
}

/** The first pause before reconnecting; it doubles up to {@linkcode MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * Wakes the subscribers of a topic when a write notifies its name. The
 * connection opens with the first subscriber. When it drops, it reconnects
 * with a growing pause (while anyone subscribes), and once listening again
 * wakes every subscriber, since notifications sent meanwhile are lost. The
 * connection shows in `pg_stat_activity` as `netscript-config-listener`.
 */
export class TopicListener {
  readonly #options: TopicListenerOptions;
  readonly #subscribers = new Map<string, Set<() => void>>();
  #client: pg.Client | null = null;
  #failures = 0;
  #reconnect: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * Creates a listener; nothing connects until the first subscriber.
   *
   * @param options The connection settings, the URL and the logger.
   */
  constructor(options: TopicListenerOptions) {
    this.#options = options;
  }

  /**
   * Calls `wake` whenever `topic` may have changed: on its notification and
   * whenever listening (re)starts.
   *
   * @param topic The topic's name.
   * @param wake What to call.
   * @returns What ends the subscription.
   */
  subscribe(topic: string, wake: () => void): () => void {
    let wakes = this.#subscribers.get(topic);
    if (wakes === undefined) this.#subscribers.set(topic, wakes = new Set());
    wakes.add(wake);
    if (this.#client === null && this.#reconnect === undefined && !this.#closed) this.#connect();
    return () => {
      wakes.delete(wake);
      if (wakes.size === 0 && this.#subscribers.get(topic) === wakes) {
        this.#subscribers.delete(topic);
      }
    };
  }

  /**
   * Stops reconnecting and ends the connection.
   *
   * @returns When the connection is closed.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnect);
    this.#reconnect = undefined;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {/* the socket is already gone */});
  }

  #connect(): void {
    const client = new pg.Client({
      ...this.#options.config,
      application_name: "netscript-config-listener",
    });
    this.#client = client;
    client.on("notification", (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      for (const wake of this.#subscribers.get(message.payload) ?? []) wake();
    });
    client.on("error", (error) => this.#drop(client, error));
    client.on("end", () => this.#drop(client, null));
    client.connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        if (this.#client !== client) return;
        if (this.#failures > 0) {
          this.#options.logger.info("config listener reconnected", this.#fields());
        }
        this.#failures = 0;
        for (const wakes of this.#subscribers.values()) for (const wake of wakes) wake();
      })
      .catch((error) => this.#drop(client, error));
  }

  /** Forgets a connection that failed or ended, and plans the next attempt. */
  #drop(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = null;
    if (error !== null) client.end().catch(() => {/* the socket is already gone */});
    if (this.#closed) return;
    this.#failures++;
    if (this.#failures === 1) {
      this.#options.logger.warn(
        "config listener lost its connection; watches see changes again once it reconnects",
        {
          ...this.#fields(),
          error: error === null
            ? "the connection ended"
            : storeUnavailableError(this.#options.url, error).message,
        },
      );
    }
    const pause = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.#failures - 1));
    this.#reconnect = setTimeout(() => {
      this.#reconnect = undefined;
      if (!this.#closed && this.#subscribers.size > 0) this.#connect();
    }, pause * (0.5 + Math.random() / 2));
  }

  #fields(): Record<string, unknown> {
    return { url: redactPassword(this.#options.url), channel: CHANNEL, failures: this.#failures };
  }
}
