/**
 * Waits for a wake-up counter in a Deno KV file to change: a store bumps
 * the counter in every commit that makes work ready, and the waiters of
 * its `waitForWork` wake.
 *
 * With the KV file's path, a {@linkcode CommitDoorbell} rings on every
 * commit to the file, by any process, and each ring reads the counter; a
 * ring that finds it unchanged reads it once more a moment later (a commit
 * may ring just before it becomes visible to readers), and the counter is
 * also read every `pollMs` in case a ring is missed. Without a path, or
 * when the folder cannot be watched (no read permission for it, no file
 * watches left), the counter is watched in this process and read every
 * `pollMs`.
 *
 * @module
 */
import { waitForKvChange } from "./wait_for_kv_change.ts";
import { CommitDoorbell } from "./commit_doorbell.ts";

/** How long after a ring that found the counter unchanged it is read again. */
const SETTLE_MS = 10;

/** Options of {@linkcode KvChangeWaits}. */
export interface KvChangeWaitsOptions {
  /** The KV file to watch for commits; without it, the counter is polled. */
  readonly path: string | undefined;
  /** How often the counter is read in any case. */
  readonly pollMs: number;
}

/** The waits of one store for its wake-up counter to change, across processes. */
export class KvChangeWaits {
  readonly #kv: Deno.Kv;
  readonly #key: Deno.KvKey;
  readonly #options: KvChangeWaitsOptions;
  readonly #closing = new AbortController();
  readonly #pending = new Set<Promise<void>>();
  #doorbell: Promise<CommitDoorbell | null> | undefined;
  #seen: string | null | undefined;

  /**
   * Waits on `key` of `kv`, watching `options.path` for commits when given.
   *
   * @param kv The store.
   * @param key The wake-up counter.
   * @param options The file to watch and the polling interval.
   */
  constructor(kv: Deno.Kv, key: Deno.KvKey, options: KvChangeWaitsOptions) {
    this.#kv = kv;
    this.#key = key;
    this.#options = options;
  }

  /**
   * Resolves when the counter changed since the last wait returned (since
   * this wait started, for the first one), after `timeoutMs`, or when
   * `signal` aborts or the waits close.
   *
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   * @throws What the file watcher failed with; later waits poll.
   */
  async wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const stop = signal === undefined
      ? this.#closing.signal
      : AbortSignal.any([signal, this.#closing.signal]);
    if (stop.aborted) return;
    const wait = this.#wait(Date.now() + timeoutMs, stop);
    this.#pending.add(wait);
    try {
      await wait;
    } finally {
      this.#pending.delete(wait);
    }
  }

  /** Ends pending waits and stops watching the file. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled(this.#pending);
    await (await this.#doorbell)?.close();
  }

  async #wait(deadline: number, stop: AbortSignal): Promise<void> {
    const doorbell = await (this.#doorbell ??= this.#openDoorbell());
    const seen = this.#seen !== undefined
      ? this.#seen
      : (await this.#kv.get(this.#key)).versionstamp;
    if (stop.aborted) {
      this.#seen = seen;
      return;
    }
    if (doorbell === null) {
      this.#seen = await waitForKvChange(this.#kv, this.#key, {
        seen,
        timeoutMs: Math.max(0, deadline - Date.now()),
        pollMs: this.#options.pollMs,
        signal: stop,
      });
      return;
    }
    let nextRead = this.#options.pollMs;
    for (;;) {
      const rings = doorbell.rings;
      const now = (await this.#kv.get(this.#key)).versionstamp;
      if (now !== seen) {
        this.#seen = now;
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0 || stop.aborted) {
        this.#seen = seen;
        return;
      }
      let rang: boolean;
      try {
        rang = await doorbell.rung(rings, Math.min(left, nextRead), stop);
      } catch (error) {
        this.#doorbell = Promise.resolve(null);
        await doorbell.close();
        throw error;
      }
      nextRead = rang ? SETTLE_MS : this.#options.pollMs;
    }
  }

  async #openDoorbell(): Promise<CommitDoorbell | null> {
    if (this.#options.path === undefined) return null;
    try {
      return await CommitDoorbell.open(this.#options.path);
    } catch {
      // Documented fallback: without a watch, the counter is polled.
      return null;
    }
  }
}
