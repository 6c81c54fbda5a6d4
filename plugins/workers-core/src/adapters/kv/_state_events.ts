/**
 * State events on Deno KV: the watched `(name, state)` pairs live in one
 * entry (`watched`), each event under `event/<id>`.
 *
 * A settle must see every `watchStates` that resolved before it commits,
 * in any process, without reading the watch entry every time: the queue
 * keeps the entry it last read or wrote, and each settle's atomic operation
 * checks the entry's versionstamp. When a settle's commit fails (the watch
 * entry or the job changed), the cached entry is dropped, so the retry
 * reads it again together with the job, in the same `getMany`.
 *
 * @module
 */
import {
  checkStateEventLimit,
  createTimeOrderedId,
  isWatched,
  type StateEvent,
  type WatchedState,
} from "@netscript/store";
import { isKvLimitError, readMany } from "@netscript/store/kv";
import type { KeySpace } from "./_key_space.ts";
import { JobOperation } from "./_kv_commit.ts";
import type { StoredJob } from "./_stored_job.ts";

/** The watch entry as read: the pairs, or `null` while nothing was ever watched. */
export type WatchEntry = Deno.KvEntryMaybe<readonly WatchedState[]>;

/** An event as stored: everything but its id, which ends its key. */
type StoredEvent = Omit<StateEvent, "id">;

/** Events removed per atomic operation, far below KV's mutation and key-size limits. */
const EVENTS_PER_REMOVAL = 100;

/** The shape of every id {@linkcode createTimeOrderedId} makes (UUIDv7). */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** One queue's watched pairs: the cached watch entry, and the events it records. */
export class WatchedStates {
  readonly #kv: Deno.Kv;
  readonly #keys: KeySpace;
  #entry: WatchEntry | null = null;

  /**
   * @param kv The store.
   * @param keys The queue's keys.
   */
  constructor(kv: Deno.Kv, keys: KeySpace) {
    this.#kv = kv;
    this.#keys = keys;
  }

  /**
   * Reads entries for a settle, and the watch entry with them in the same
   * read when none is cached (never read, or dropped by {@linkcode WatchedStates.forget}).
   *
   * @param keys What the settle reads.
   * @returns The entries, in the order of `keys`, and the watch entry the settle checks.
   */
  async readWith<T>(
    keys: readonly Deno.KvKey[],
  ): Promise<{ entries: Deno.KvEntryMaybe<T>[]; watch: WatchEntry }> {
    if (this.#entry !== null) {
      return { entries: await readMany<T>(this.#kv, keys), watch: this.#entry };
    }
    const entries = await readMany<T>(this.#kv, [...keys, this.#keys.watched]);
    this.#remember(entries.pop() as WatchEntry);
    return { entries, watch: this.#entry! };
  }

  /**
   * Drops the cached watch entry after a commit that checked `watch`
   * failed, unless a newer one replaced it meanwhile.
   *
   * @param watch The entry the commit checked.
   */
  forget(watch: WatchEntry): void {
    if (this.#entry?.versionstamp === watch.versionstamp) this.#entry = null;
  }

  /**
   * Adds to `op` the event of a settled job, when `watch` holds its name
   * and new state. The caller checks `watch` in the same operation.
   *
   * @param op The settle's operation.
   * @param watch The watch entry the operation checks.
   * @param after The job as settled.
   * @param now When it settled.
   */
  record(op: JobOperation, watch: WatchEntry, after: StoredJob, now: Date): void {
    if (watch.value === null || !isWatched(watch.value, after.name, after.state)) return;
    const event: StoredEvent = {
      name: after.name,
      subject: after.id,
      state: after.state,
      error: after.state === "failed" || after.state === "dead" ? after.lastError : null,
      at: now,
    };
    op.set(this.#keys.event(createTimeOrderedId(now.getTime())), event);
  }

  /**
   * Replaces the watched pairs, duplicates dropped, and caches the entry.
   *
   * @param watched The pairs; an empty list stops recording.
   * @throws {RangeError} When the pairs do not fit in one KV value (64 KiB).
   */
  async replace(watched: readonly WatchedState[]): Promise<void> {
    const pairs = [
      ...new Map(
        watched.map(({ name, state }) => [JSON.stringify([name, state]), { name, state }]),
      ).values(),
    ];
    const key = this.#keys.watched;
    try {
      const result = await new JobOperation(this.#kv).set(key, pairs).commit();
      if (result.ok) this.#remember({ key, value: pairs, versionstamp: result.versionstamp });
    } catch (error) {
      if (!isKvLimitError(error)) throw error;
      throw new RangeError(
        `Cannot watch ${pairs.length} (name, state) pairs: Deno KV refused them (${error.message}); watch fewer pairs`,
        { cause: error },
      );
    }
  }

  /** Keeps `entry` unless the cache holds a newer one. */
  #remember(entry: WatchEntry): void {
    if (this.#entry === null || (entry.versionstamp ?? "") >= (this.#entry.versionstamp ?? "")) {
      this.#entry = entry;
    }
  }
}

/**
 * The oldest state events, in key (time) order.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param limit At most this many.
 * @returns The events.
 * @throws {RangeError} When `limit` is not a positive integer.
 */
export async function readStateEvents(
  kv: Deno.Kv,
  keys: KeySpace,
  limit: number,
): Promise<StateEvent[]> {
  checkStateEventLimit(limit);
  const events: StateEvent[] = [];
  for await (const { key, value } of kv.list<StoredEvent>({ prefix: keys.events }, { limit })) {
    events.push({ id: key[key.length - 1] as string, ...value });
  }
  return events;
}

/**
 * Deletes state events by id, {@linkcode EVENTS_PER_REMOVAL} per atomic
 * operation; ids no event has (removed, never recorded, or not an id this
 * store makes) are skipped.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param ids The events' ids.
 */
export async function removeStateEvents(
  kv: Deno.Kv,
  keys: KeySpace,
  ids: readonly string[],
): Promise<void> {
  const known = [...new Set(ids)].filter((id) => EVENT_ID.test(id));
  for (let i = 0; i < known.length; i += EVENTS_PER_REMOVAL) {
    const op = new JobOperation(kv);
    for (const id of known.slice(i, i + EVENTS_PER_REMOVAL)) op.delete(keys.event(id));
    await op.commit();
  }
}
