/**
 * The wake-ups behind `waitForWork` for adapters that learn about new work
 * in-process (memory) or from one listening connection (Postgres).
 *
 * @module
 */

/**
 * Waiters that resolve on {@linkcode WorkSignal.wake}, their timeout or
 * their abort signal. A wake that finds nobody waiting can be remembered,
 * so work that arrived between two waits ends the next one at once.
 */
export class WorkSignal {
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
}
