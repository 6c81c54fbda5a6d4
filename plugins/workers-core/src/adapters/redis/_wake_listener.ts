/**
 * One dedicated subscriber connection per queue, behind `waitForWork`.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { Logger } from "@netscript/telemetry";
import { WorkSignal } from "../work_signal.ts";
import { closeConnection } from "./_connection.ts";
import { storeError } from "./_store_errors.ts";

/**
 * Waits for a message on the queue's wake channel. The subscriber opens on
 * the first wait, as a copy of the queue's connection; ioredis reconnects
 * it when it drops, and it subscribes again each time. Whenever it
 * (re)subscribes, current waiters are woken, because a job may have become
 * runnable while nobody listened; a message that arrives while nobody
 * waits wakes the next wait at once. While it is down, a wait simply times
 * out. It shows in `CLIENT LIST` as `netscript-workers-listener`.
 */
export class WakeListener {
  readonly #source: Redis;
  readonly #channel: string;
  readonly #target: string;
  readonly #logger: Logger;
  readonly #work = new WorkSignal();
  #client: Redis | null = null;
  #listening = false;
  #failing = false;
  #closed = false;

  /**
   * Creates a listener; nothing connects until the first wait.
   *
   * @param source The queue's connection, whose settings the subscriber copies.
   * @param channel The wake channel.
   * @param target Where the store is, for messages.
   * @param logger Where connection failures are reported.
   */
  constructor(source: Redis, channel: string, target: string, logger: Logger) {
    this.#source = source;
    this.#channel = channel;
    this.#target = target;
    this.#logger = logger;
  }

  /**
   * Resolves on a message, a (re)subscription, the timeout or the abort.
   *
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   * @returns Resolves when woken, timed out or aborted.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return Promise.resolve();
    const woken = this.#work.wait(timeoutMs, signal);
    if (this.#client === null) this.#open();
    return woken;
  }

  /** Wakes every waiter and closes the subscriber. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#work.wake(false);
    const client = this.#client;
    this.#client = null;
    if (client !== null) await closeConnection(client);
  }

  #open(): void {
    const client = this.#source.duplicate({
      lazyConnect: false,
      autoResubscribe: false,
      connectionName: "netscript-workers-listener",
    });
    this.#client = client;
    client.on("message", () => this.#wake());
    client.on("ready", () => this.#subscribe(client));
    client.on("close", () => this.#dropped(client));
    client.on("error", (error: unknown) => this.#report(client, error));
  }

  #subscribe(client: Redis): void {
    client.subscribe(this.#channel).then(() => {
      if (this.#client !== client) return;
      this.#listening = true;
      if (this.#failing) this.#logger.info("workers listener reconnected", this.#fields());
      this.#failing = false;
      this.#wake();
    }, (error: unknown) => this.#report(client, error));
  }

  /** The connection closed; ioredis reconnects it. Waiters re-check the queue, since messages may be lost. */
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
    this.#logger.warn("workers listener cannot listen for new jobs; waits fall back to polling", {
      ...this.#fields(),
      error: storeError(error, this.#target),
    });
  }

  /** Wakes the waiters; with none, the next wait returns at once only while listening. */
  #wake(): void {
    this.#work.wake(this.#listening);
  }

  #fields() {
    return { target: this.#target, channel: this.#channel };
  }
}
