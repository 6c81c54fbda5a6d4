/**
 * A reconnecting `LISTEN` connection behind a store's wake-ups.
 *
 * @module
 */
import pg, { type ClientConfig } from "pg";
import { createLogger, type Logger } from "@netscript/telemetry";
import { classifyStoreError, type StoreErrorOptions } from "../classify_store_error.ts";
import { type WakeListener, WakeSignal } from "../wake_signal.ts";
import { describePostgresTarget } from "./postgres_target.ts";

/** Options of {@linkcode createPostgresListener}. */
export interface PostgresListenerOptions {
  /** The connection settings, e.g. the store's pool's `options`. */
  readonly config: ClientConfig;
  /**
   * The channels to `LISTEN` on: lowercase identifiers such as
   * `workers_jobs`, as `NOTIFY workers_jobs` names them.
   */
  readonly channels: readonly string[];
  /**
   * How log lines name the listener, e.g. `workers listener`.
   * @default {"listener"}
   */
  readonly name?: string | undefined;
  /**
   * The connection's `application_name`, as `pg_stat_activity` shows it.
   * @default {"netscript-listener"}
   */
  readonly applicationName?: string | undefined;
  /**
   * Where connection failures and reconnections are reported.
   * @default {a JSON logger for the service "netscript"}
   */
  readonly logger?: Logger | undefined;
  /** How failures name the store (`dependency`, `label`); the target is read from `config`. */
  readonly store?: Omit<StoreErrorOptions, "driver" | "target"> | undefined;
  /** Called for every notification, besides waking the waiters. */
  readonly onNotification?: ((channel: string, payload: string | undefined) => void) | undefined;
}

/** A channel name `LISTEN` takes as it is. */
const CHANNEL = /^[a-z_][a-z0-9_$]{0,62}$/;

/**
 * Creates a listener on PostgreSQL notifications; nothing connects until
 * the first wait. The connection opens on the first wait and again on the
 * first wait after it drops. Whenever listening (re)starts, current
 * waiters are woken, because something may have changed while nobody
 * listened; a notification that arrives while nobody waits wakes the next
 * wait at once. Without a connection, a wait simply times out. The first
 * failure of a streak is logged as a warning, the recovery at info.
 *
 * @param options The connection, the channels, names and a logger.
 * @returns The listener; `close()` ends its connection.
 * @throws {TypeError} When there is no channel, or a channel is not a lowercase identifier.
 *
 * @example
 * ```ts ignore
 * import { createPostgresListener } from "@netscript/store/postgres";
 *
 * const listener = createPostgresListener({
 *   config: { connectionString: "postgresql://postgres@127.0.0.1:5432/app" },
 *   channels: ["billing_invoices"],
 *   name: "billing listener",
 * });
 * await listener.wait(1_000); // returns once listening, then on each NOTIFY billing_invoices
 * await listener.close();
 * ```
 */
export function createPostgresListener(options: PostgresListenerOptions): WakeListener {
  if (options.channels.length === 0) {
    throw new TypeError("createPostgresListener() needs at least one channel");
  }
  for (const channel of options.channels) {
    if (!CHANNEL.test(channel)) {
      throw new TypeError(
        `Invalid channel ${
          JSON.stringify(channel)
        }: use a lowercase identifier of letters, digits and "_", e.g. "workers_jobs"`,
      );
    }
  }
  return new PostgresListener(options);
}

class PostgresListener implements WakeListener {
  readonly #options: PostgresListenerOptions;
  readonly #name: string;
  readonly #target: string;
  readonly #logger: Logger;
  readonly #work = new WakeSignal();
  #client: pg.Client | null = null;
  #listening = false;
  #failing = false;
  #closed = false;

  constructor(options: PostgresListenerOptions) {
    this.#options = options;
    this.#name = options.name ?? "listener";
    this.#target = describePostgresTarget(options.config);
    this.#logger = options.logger ?? createLogger({ service: "netscript" });
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return Promise.resolve();
    const woken = this.#work.wait(timeoutMs, signal);
    if (this.#client === null) this.#listen();
    return woken;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    const client = this.#client;
    this.#client = null;
    await client?.end();
  }

  #listen(): void {
    const client = new pg.Client({
      ...this.#options.config,
      application_name: this.#options.applicationName ?? "netscript-listener",
    });
    this.#client = client;
    client.on("notification", (message) => {
      this.#options.onNotification?.(message.channel, message.payload);
      this.#wake();
    });
    client.on("error", (error) => this.#drop(client, error));
    client.on("end", () => this.#drop(client, null));
    client.connect()
      .then(() => client.query(this.#options.channels.map((c) => `LISTEN ${c};`).join(" ")))
      .then(() => {
        if (this.#client !== client) return;
        this.#listening = true;
        if (this.#failing) this.#logger.info(`${this.#name} reconnected`, this.#fields());
        this.#failing = false;
        this.#wake();
      })
      .catch((error) => this.#drop(client, error));
  }

  /**
   * Forgets a connection that failed or ended. When it was listening,
   * waiters are woken to re-check, since notifications may be lost; a
   * connection that never listened leaves them to their timeout.
   */
  #drop(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    const wasListening = this.#listening;
    this.#client = null;
    this.#listening = false;
    if (error !== null) client.end().catch(() => {/* the socket is already gone */});
    if (this.#closed) return;
    if (!this.#failing) {
      this.#failing = true;
      const cause = error === null ? "the connection ended" : classifyStoreError(error, {
        ...this.#options.store,
        driver: "postgres",
        target: this.#target,
      });
      this.#logger.warn(`${this.#name} cannot listen; waits fall back to polling`, {
        ...this.#fields(),
        error: cause,
      });
    }
    if (wasListening) this.#wake();
  }

  /** Wakes the waiters; with none, the next wait returns at once only while listening. */
  #wake(): void {
    this.#work.wake(this.#listening);
  }

  #fields() {
    return { target: this.#target, channels: this.#options.channels };
  }
}
