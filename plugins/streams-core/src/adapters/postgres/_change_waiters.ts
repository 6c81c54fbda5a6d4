/**
 * Waiters on one stream each, woken by the store's `LISTEN` connection:
 * a notification wakes the waiters of the path it carries; the connection
 * starting, dropping or coming back wakes every waiter, since a commit may
 * have gone unnoticed meanwhile.
 *
 * @module
 */
import type { WakeListener } from "@netscript/store";

/** Opens the listener, routing each notification's payload (a path) to `notify`. */
export type OpenListener = (
  notify: (channel: string, payload: string | undefined) => void,
) => WakeListener;

/**
 * How long the pump waits on the listener at a time; a wait that ends
 * without a notification wakes every waiter to read again.
 */
const PUMP_MS = 30_000;

/** Per-path waiters over one `LISTEN` connection. */
export class ChangeWaiters {
  readonly #listener: WakeListener;
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #stopped = new AbortController();
  #notifications = 0;
  #pumping = false;
  #closed = false;

  /** @param open Opens the listener; nothing connects until the first wait. */
  constructor(open: OpenListener) {
    this.#listener = open((_channel, path) => {
      this.#notifications++;
      if (path === undefined || path === "") this.#wakeAll();
      else this.#wake(path);
    });
  }

  /**
   * Waits until a notification for `path`, a (re)connection, the timeout,
   * the signal or `close()`; resolves at once when `changed()` says the
   * stream already moved on. `changed()` runs once the wait is registered,
   * so a commit between it and the wait is not missed.
   *
   * @param path The stream.
   * @param changed Reads whether the stream differs from what the caller saw.
   * @param options The longest wait and an abort signal.
   */
  async wait(
    path: string,
    changed: () => Promise<boolean>,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<void> {
    if (this.#closed || options.signal?.aborted) return;
    let done!: () => void;
    const woken = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), options.timeoutMs);
      done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", done);
        this.#forget(path, done);
        resolve();
      };
    });
    options.signal?.addEventListener("abort", done, { once: true });
    let waiters = this.#waiters.get(path);
    if (waiters === undefined) this.#waiters.set(path, waiters = new Set());
    waiters.add(done);
    void this.#pump();
    try {
      if (await changed()) done();
    } catch (error) {
      done();
      throw error;
    }
    await woken;
  }

  /** Wakes every waiter and ends the listener's connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopped.abort();
    this.#wakeAll();
    await this.#listener.close();
  }

  /** Keeps one wait on the listener pending while anyone waits. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#waiters.size > 0 && !this.#closed) {
        const seen = this.#notifications;
        await this.#listener.wait(PUMP_MS, this.#stopped.signal);
        if (this.#notifications === seen) this.#wakeAll();
      }
    } finally {
      this.#pumping = false;
    }
  }

  #wake(path: string): void {
    for (const done of [...this.#waiters.get(path) ?? []]) done();
  }

  #wakeAll(): void {
    for (const path of [...this.#waiters.keys()]) this.#wake(path);
  }

  #forget(path: string, done: () => void): void {
    const waiters = this.#waiters.get(path);
    waiters?.delete(done);
    if (waiters?.size === 0) this.#waiters.delete(path);
  }
}
