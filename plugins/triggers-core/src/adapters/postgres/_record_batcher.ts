/**
 * Group commit for `record()`: deliveries recorded while a record
 * statement is in flight wait for it, then go together in the next
 * statement (one round trip, one commit, one WAL flush), so the store
 * keeps up with many concurrent webhooks. A delivery recorded while none
 * is in flight is written at once: nothing waits on a timer.
 *
 * @module
 */
import type { Recorded } from "../../ports/delivery_store.ts";
import type { StorableDelivery } from "../_storable_delivery.ts";

/** The most deliveries one statement writes. */
export const MAX_BATCH = 100;

/** A checked delivery and the id it gets if it is new. */
export interface RecordRow extends StorableDelivery {
  /** The id of the new delivery. */
  readonly id: string;
}

/**
 * Writes deliveries with distinct keys in one atomic statement.
 *
 * @param rows The deliveries; no two share a trigger and a key.
 * @returns Per row, in order, what was recorded, or `undefined` when a
 * racing statement holds a delivery with its key that this statement
 * could not see yet (the row must be written again).
 */
export type WriteRecords = (rows: readonly RecordRow[]) => Promise<(Recorded | undefined)[]>;

/** Options of {@linkcode RecordBatcher}. */
export interface RecordBatcherOptions {
  /** Writes one batch. */
  readonly write: WriteRecords;
  /**
   * Whether a failure is the store's (it fails every delivery of the
   * batch) rather than possibly one row's (then each delivery of the
   * batch is written on its own, in order, so only the row at fault fails).
   */
  readonly storeWide: (error: unknown) => boolean;
}

/** One `record()` call, waiting for its delivery's statement. */
interface Waiting {
  readonly row: RecordRow;
  readonly resolve: (recorded: Recorded) => void;
  readonly reject: (error: unknown) => void;
}

/** The first call of a batch with a key, and the later calls with the same key. */
interface Group {
  readonly leader: Waiting;
  readonly followers: Waiting[];
}

/** What happened to one group's statement. */
type Outcome = { readonly recorded: Recorded | undefined } | { readonly error: unknown };

/**
 * Queues `record()` calls and writes them in batches of at most
 * {@linkcode MAX_BATCH}, one statement in flight at a time. Calls with the
 * same trigger and key in one batch make one row: the first is written,
 * the others answer as its duplicates.
 */
export class RecordBatcher {
  readonly #write: WriteRecords;
  readonly #storeWide: (error: unknown) => boolean;
  #queue: Waiting[] = [];
  #writing = false;

  /** @param options How a batch is written, and which failures are the store's. */
  constructor(options: RecordBatcherOptions) {
    this.#write = options.write;
    this.#storeWide = options.storeWide;
  }

  /**
   * Records a checked delivery in the next statement: at once when no
   * statement is in flight.
   *
   * @param row The delivery.
   * @returns What was recorded, once it is committed.
   */
  record(row: RecordRow): Promise<Recorded> {
    const { promise, resolve, reject } = Promise.withResolvers<Recorded>();
    this.#queue.push({ row, resolve, reject });
    if (!this.#writing) void this.#drain();
    return promise;
  }

  /** Writes batches until the queue is empty: those calls queued while one was in flight. */
  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        const again = await this.#settle(_groups(batch));
        this.#queue.unshift(...again);
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Writes one batch and answers its callers; returns the calls to write again. */
  async #settle(groups: Group[]): Promise<Waiting[]> {
    const outcomes = await this.#outcomes(groups.map((group) => group.leader.row));
    const again: Waiting[] = [];
    for (const [i, { leader, followers }] of groups.entries()) {
      const outcome = outcomes[i]!;
      if ("error" in outcome) {
        for (const call of [leader, ...followers]) call.reject(outcome.error);
      } else if (outcome.recorded === undefined) {
        again.push(leader, ...followers);
      } else {
        const { id, state } = outcome.recorded;
        leader.resolve(outcome.recorded);
        for (const follower of followers) follower.resolve({ id, duplicate: true, state });
      }
    }
    return again;
  }

  /** Writes the rows together; after a failure that may be one row's, one by one. */
  async #outcomes(rows: RecordRow[]): Promise<Outcome[]> {
    try {
      return (await this.#write(rows)).map((recorded) => ({ recorded }));
    } catch (error) {
      if (rows.length === 1 || this.#storeWide(error)) return rows.map(() => ({ error }));
    }
    const outcomes: Outcome[] = [];
    for (const row of rows) {
      try {
        const [recorded] = await this.#write([row]);
        outcomes.push({ recorded });
      } catch (error) {
        outcomes.push({ error });
      }
    }
    return outcomes;
  }
}

/** The batch's calls grouped by trigger and key, in order of their first call; no key, no group. */
function _groups(batch: readonly Waiting[]): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const call of batch) {
    const { trigger, key } = call.row;
    const name = key === null ? undefined : `${trigger}\u0000${key}`;
    const group = name === undefined ? undefined : byKey.get(name);
    if (group !== undefined) {
      group.followers.push(call);
      continue;
    }
    const created = { leader: call, followers: [] };
    groups.push(created);
    if (name !== undefined) byKey.set(name, created);
  }
  return groups;
}
