/**
 * The watch loop every config store adapter shares: read, yield, wait for a
 * wake-up, read again, yield only what is newer. Adapters differ only in
 * what wakes the loop (an in-process event, `kv.watch` and polling, a
 * Postgres notification or reconnection).
 *
 * @module
 */
import type { StoredConfig } from "./config_store.ts";

/** Starts change notifications for one watch; returns what stops them. */
export type StartListening = (wake: () => void) => () => Promise<void> | void;

/** Options of {@linkcode watchRevisions}. */
export interface WatchRevisionsOptions {
  /** Reads the topic's current value. */
  read(): Promise<StoredConfig | undefined>;
  /** Starts the notifications that wake the loop to read again. */
  listen: StartListening;
  /** Ends the watch. */
  signal: AbortSignal;
  /** Reports a failed re-read; the read is retried after a growing pause. */
  onReadError(error: unknown, failures: number): void;
}

/** The longest pause before a failed re-read is retried. */
const MAX_RETRY_MS = 5_000;

/**
 * Yields the current value, then every value with a higher revision than
 * the last one yielded, re-reading whenever woken. Wake-ups that come while
 * the consumer is busy are coalesced into one read. Notifications start
 * before the first read, so a write between the read and the wait is not
 * missed. A failed first read ends the watch with its error; a failed
 * later read is reported and retried. Stops (and releases the notifications)
 * when the signal aborts, even while the consumer holds a value.
 *
 * @param options What to read, what wakes the loop, and the signal.
 * @returns The values.
 */
export async function* watchRevisions(
  options: WatchRevisionsOptions,
): AsyncGenerator<StoredConfig | undefined, void, undefined> {
  const { signal } = options;
  if (signal.aborted) return;
  let woken = false;
  let resume: (() => void) | undefined;
  const wake = () => {
    woken = true;
    resume?.();
  };
  const stop = options.listen(wake);
  let stopped: Promise<void> | undefined;
  const stopOnce = () =>
    stopped ??= (async () => {
      await stop();
    })();
  const onAbort = () => {
    stopOnce().catch(() => {/* awaited again, and reported, in finally */});
    resume?.();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  let retry: ReturnType<typeof setTimeout> | undefined;
  try {
    const first = await options.read();
    let seen = first?.revision ?? 0;
    yield first;
    let failures = 0;
    while (!signal.aborted) {
      if (!woken) await new Promise<void>((resolve) => resume = resolve);
      resume = undefined;
      if (signal.aborted) break;
      woken = false;
      let next: StoredConfig | undefined;
      try {
        next = await options.read();
        failures = 0;
        clearTimeout(retry);
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        options.onReadError(error, failures);
        clearTimeout(retry);
        retry = setTimeout(wake, Math.min(MAX_RETRY_MS, 100 * 2 ** failures));
        continue;
      }
      if (next !== undefined && next.revision > seen) {
        seen = next.revision;
        yield next;
      }
    }
  } finally {
    clearTimeout(retry);
    signal.removeEventListener("abort", onAbort);
    await stopOnce();
  }
}

/**
 * The watches of one store: each ends when its own signal aborts or when
 * the store closes, and closing waits until every watch has released its
 * notifications.
 */
export class StoreWatches {
  readonly #closing = new AbortController();
  readonly #stopping = new Set<Promise<void>>();

  /** Whether {@linkcode StoreWatches.close} was called. */
  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /**
   * Starts a watch that also ends when the store closes.
   *
   * @param options What to read, what wakes the loop, and the caller's signal.
   * @returns The values.
   */
  watch(options: WatchRevisionsOptions): AsyncGenerator<StoredConfig | undefined, void, undefined> {
    const signal = AbortSignal.any([options.signal, this.#closing.signal]);
    const listen: StartListening = (wake) => {
      const stop = options.listen(wake);
      return () => {
        const stopping = Promise.resolve(stop());
        this.#stopping.add(stopping);
        return stopping.finally(() => this.#stopping.delete(stopping));
      };
    };
    return watchRevisions({ ...options, listen, signal });
  }

  /**
   * Ends every watch and waits until their notifications are released.
   *
   * @returns When every watch has stopped listening.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#stopping]);
  }
}
