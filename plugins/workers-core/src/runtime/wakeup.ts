/**
 * A signal that can fire many times. A listener hears the next
 * {@linkcode Wakeup.fire} only, and can be removed before it, so a waiter
 * that gave up leaves nothing behind; `count` tells a waiter whether one
 * fired since it last looked, so a wake-up before the wait is not lost.
 */
export class Wakeup {
  #listeners = new Set<() => void>();
  #count = 0;

  /** How many times it fired. */
  get count(): number {
    return this.#count;
  }

  /**
   * Calls `listener` on the next fire, once.
   *
   * @param listener What to call.
   * @returns A function that removes the listener.
   */
  once(listener: () => void): () => void {
    const entry = () => listener();
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** Wakes every listener added since the last fire. */
  fire(): void {
    this.#count++;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}
