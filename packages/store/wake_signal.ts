/**
 * Wake-ups for code that waits for new work: a queue's `waitForWork`, a
 * config watch. Listeners on a database or a pub/sub channel call
 * {@linkcode WakeSignal.wake}; in-process stores call it on every write.
 *
 * @module
 */

/** Waits for a wake-up, at most a while: what a store's listener offers its callers. */
export interface WakeListener {
  /**
   * Resolves on a wake-up, after `timeoutMs`, or when `signal` aborts,
   * whichever comes first.
   *
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   * @returns Resolves when woken, timed out or aborted.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Wakes every waiter and releases the listener's connection; later waits
   * return at once.
   *
   * @returns Resolves once the connection is gone.
   */
  close(): Promise<void>;
}

/**
 * Waiters that resolve on {@linkcode WakeSignal.wake}, their timeout or
 * their abort signal. A wake that finds nobody waiting can be remembered,
 * so work that arrived between two waits ends the next one at once.
 *
 * @example
 * ```ts
 * import { WakeSignal } from "@netscript/store";
 *
 * const signal = new WakeSignal();
 * const woken = signal.wait(10_000);
 * signal.wake();
 * await woken; // at once, not after 10 s
 * ```
 */
export class WakeSignal {
  #waiters = new Set<() => void>();
  #missed = false;

  /**
   * Waits for a wake-up, at most `timeoutMs`; returns at once when a wake
   * was remembered since the last wait.
   *
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   * @returns Resolves when woken, timed out or aborted.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#missed) {
      this.#missed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /**
   * Wakes every waiter.
   *
   * @param remember With nobody waiting, whether the next wait returns at once.
   */
  wake(remember = true): void {
    if (this.#waiters.size === 0) this.#missed = remember;
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** How many waits are pending. */
  get waiting(): number {
    return this.#waiters.size;
  }
}
