/**
 * One piece of work per key at a time: while it runs, callers with the same
 * key share its promise instead of starting it again. The refresh of a
 * WorkOS session uses it, because a refresh token works once: a second
 * refresh with the same token would be refused and end the session.
 *
 * @module
 */

/** Runs work keyed by a string, at most once at a time per key. */
export interface SingleFlight<T> {
  /**
   * Runs `work` unless work of the same key is in flight; then answers that
   * work's promise. The key is free again once the work settles.
   *
   * @param key What identifies the work.
   * @param work The work.
   * @returns Its outcome, shared with every caller of the same key while it runs.
   */
  run(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * Waits until nothing is in flight.
   *
   * @returns Once every running work has settled, whatever its outcome.
   */
  settled(): Promise<void>;
  /** How many keys have work in flight. */
  readonly size: number;
}

/**
 * Creates an empty {@linkcode SingleFlight}.
 *
 * @returns It.
 */
export function createSingleFlight<T>(): SingleFlight<T> {
  const running = new Map<string, Promise<T>>();
  return {
    run(key, work) {
      const current = running.get(key);
      if (current !== undefined) return current;
      // Started on the next microtask, so the key is taken before the work can settle.
      const started: Promise<T> = Promise.resolve().then(work).finally(() => {
        if (running.get(key) === started) running.delete(key);
      });
      running.set(key, started);
      return started;
    },
    async settled() {
      await Promise.allSettled([...running.values()]);
    },
    get size() {
      return running.size;
    },
  };
}
