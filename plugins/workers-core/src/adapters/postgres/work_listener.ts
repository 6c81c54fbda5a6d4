/**
 * One dedicated `LISTEN` connection per queue, behind `waitForWork`.
 *
 * @module
 */
import pg from "pg";
import type { Logger } from "@netscript/telemetry";
import { CHANNEL } from "./job_sql.ts";
import { storeError } from "./store_errors.ts";
import { WorkSignal } from "../work_signal.ts";

/**
 * Waits for `NOTIFY workers_jobs`. The connection opens on the first wait
 * and again on the first wait after it drops. Whenever listening (re)starts,
 * current waiters are woken, because a job may have become runnable while
 * nobody listened; a notification that arrives while nobody waits wakes the
 * next wait at once. Without a connection, a wait simply times out. The
 * connection shows in `pg_stat_activity` as `netscript-workers-listener`.
 */
export class WorkListener {
  readonly #config: pg.ClientConfig;
  readonly #target: string;
  readonly #logger: Logger;
  readonly #work = new WorkSignal();
  #client: pg.Client | null = null;
  #listening = false;
  #failing = false;
  #closed = false;

  /**
   * Creates a listener; nothing connects until the first wait.
   *
   * @param config The connection settings (the queue pool's).
   * @param target Where the store is, for messages.
   * @param logger Where connection failures are reported.
   */
  constructor(config: pg.ClientConfig, target: string, logger: Logger) {
    this.#config = config;
    this.#target = target;
    this.#logger = logger;
  }

  /**
   * Resolves on a notification, a (re)connection, the timeout or the abort.
   *
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return Promise.resolve();
    const woken = this.#work.wait(timeoutMs, signal);
    if (this.#client === null) this.#listen();
    return woken;
  }

  /** Wakes every waiter and ends the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    const client = this.#client;
    this.#client = null;
    await client?.end();
  }

  #listen(): void {
    const client = new pg.Client({
      ...this.#config,
      application_name: "netscript-workers-listener",
    });
    this.#client = client;
    client.on("notification", () => this.#wake());
    client.on("error", (error) => this.#drop(client, error));
    client.on("end", () => this.#drop(client, null));
    client.connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        if (this.#client !== client) return;
        this.#listening = true;
        if (this.#failing) this.#logger.info("workers listener reconnected", this.#fields());
        this.#failing = false;
        this.#wake();
      })
      .catch((error) => this.#drop(client, error));
  }

  /**
   * Forgets a connection that failed or ended. When it was listening,
   * waiters are woken to re-check the queue, since notifications may be
   * lost; a connection that never listened leaves them to their timeout.
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
      const cause = error === null ? "the connection ended" : storeError(error, this.#target);
      this.#logger.warn("workers listener cannot listen for new jobs; waits fall back to polling", {
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
    return { target: this.#target, channel: CHANNEL };
  }
}
