/**
 * The in-memory delivery store.
 *
 * @module
 */
import { createTimeOrderedId, WakeSignal } from "@netscript/store";
import {
  type ClaimDeliveriesOptions,
  DELIVERY_STATES,
  type DeliveryOutcome,
  type DeliveryPage,
  type DeliveryRecord,
  type DeliveryStats,
  type DeliveryStore,
  type ListDeliveriesOptions,
  type NewDelivery,
  type Recorded,
} from "../../ports/delivery_store.ts";
import {
  claimableAt,
  claimedDelivery,
  isHeldBy,
  recordedDelivery,
  settledDelivery,
  type StoredDelivery,
} from "../_delivery_changes.ts";
import { storableDelivery } from "../_storable_delivery.ts";

/** A delivery as this store holds it: its record, and its payload and headers as JSON text. */
interface _Held {
  record: StoredDelivery;
  readonly payload: string;
  readonly headers: string;
}

/**
 * The delivery store in this process's memory, for tests and the `memory`
 * store: nothing survives the process, and other processes do not see
 * it. Payloads and headers are kept as JSON text and parsed on every read,
 * so callers get copies and see what the durable stores would return.
 */
class MemoryDeliveryStore implements DeliveryStore {
  readonly #deliveries = new Map<string, _Held>();
  readonly #keys = new Map<string, string>();
  readonly #cursors = new Map<string, string>();
  readonly #work = new WakeSignal();
  readonly #closing = new AbortController();

  record(delivery: NewDelivery): Promise<Recorded> {
    return Promise.resolve(delivery).then((it) => this.#record(it));
  }

  #record(delivery: NewDelivery): Recorded {
    const checked = storableDelivery(delivery);
    const keyOf = checked.key === null ? null : JSON.stringify([checked.trigger, checked.key]);
    const first = keyOf === null ? undefined : this.#deliveries.get(this.#keys.get(keyOf)!);
    if (first !== undefined) {
      return { id: first.record.id, duplicate: true, state: first.record.state };
    }
    const now = new Date();
    const record = recordedDelivery(createTimeOrderedId(now.getTime()), checked, now);
    this.#deliveries.set(record.id, { record, payload: checked.payload, headers: checked.headers });
    if (keyOf !== null) this.#keys.set(keyOf, record.id);
    const cursor = this.#cursors.get(checked.trigger);
    if (checked.cursor !== null && (cursor === undefined || checked.cursor > cursor)) {
      this.#cursors.set(checked.trigger, checked.cursor);
    }
    if (record.state === "pending") this.#work.wake();
    return { id: record.id, duplicate: false, state: record.state };
  }

  claim(options: ClaimDeliveriesOptions): Promise<DeliveryRecord[]> {
    const now = new Date();
    const claimable = [...this.#deliveries.values()]
      .filter(({ record }) => (claimableAt(record) ?? Infinity) <= now.getTime())
      .sort((a, b) =>
        claimableAt(a.record)! - claimableAt(b.record)! ||
        (a.record.id < b.record.id ? -1 : 1)
      )
      .slice(0, Math.max(0, options.limit));
    return Promise.resolve(claimable.map((held) => {
      held.record = claimedDelivery(held.record, options.owner, now, options.leaseMs);
      return _toRecord(held);
    }));
  }

  settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean> {
    const held = this.#deliveries.get(id);
    if (held === undefined || !isHeldBy(held.record, owner)) return Promise.resolve(false);
    held.record = settledDelivery(held.record, outcome, new Date());
    if (outcome.state === "pending") this.#work.wake();
    return Promise.resolve(true);
  }

  get(id: string): Promise<DeliveryRecord | null> {
    const held = this.#deliveries.get(id);
    return Promise.resolve(held === undefined ? null : _toRecord(held));
  }

  list(options: ListDeliveriesOptions = {}): Promise<DeliveryPage> {
    const offset = options.offset ?? 0;
    const matching = [...this.#deliveries.values()]
      .filter(({ record }) =>
        (options.trigger === undefined || record.trigger === options.trigger) &&
        (options.state === undefined || record.state === options.state)
      )
      .reverse();
    return Promise.resolve({
      items: matching.slice(offset, offset + (options.limit ?? 50)).map(_toRecord),
      total: matching.length,
    });
  }

  stats(): Promise<DeliveryStats> {
    const counts = Object.fromEntries(DELIVERY_STATES.map((state) => [state, 0])) as Record<
      DeliveryRecord["state"],
      number
    >;
    for (const { record } of this.#deliveries.values()) counts[record.state]++;
    return Promise.resolve(counts);
  }

  cursor(trigger: string): Promise<string | null> {
    return Promise.resolve(this.#cursors.get(trigger) ?? null);
  }

  prune(before: Date): Promise<number> {
    let pruned = 0;
    for (const [id, { record }] of this.#deliveries) {
      if (record.state === "pending" || record.receivedAt >= before) continue;
      this.#deliveries.delete(id);
      if (record.key !== null) this.#keys.delete(JSON.stringify([record.trigger, record.key]));
      pruned++;
    }
    return Promise.resolve(pruned);
  }

  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const stop = signal === undefined
      ? this.#closing.signal
      : AbortSignal.any([signal, this.#closing.signal]);
    return stop.aborted ? Promise.resolve() : this.#work.wait(timeoutMs, stop);
  }

  close(): Promise<void> {
    this.#closing.abort();
    return Promise.resolve();
  }
}

function _toRecord(held: _Held): DeliveryRecord {
  return { ...held.record, payload: JSON.parse(held.payload), headers: JSON.parse(held.headers) };
}

/**
 * Creates a delivery store in this process's memory: for tests, trials and
 * the `memory` store. Nothing survives the process, and other processes do
 * not see its deliveries; use the Deno KV or PostgreSQL store for that.
 *
 * @returns An empty store.
 *
 * @example
 * ```ts
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 *
 * const store = createMemoryDeliveryStore();
 * const { id } = await store.record({ trigger: "github", source: "webhook", key: "d-1", payload: {} });
 * const [claimed] = await store.claim({ owner: "p1", limit: 10, leaseMs: 30_000 });
 * await store.settle(claimed!.id, "p1", { state: "skipped" });
 * console.log((await store.get(id))?.state); // "skipped"
 * await store.close();
 * ```
 */
export function createMemoryDeliveryStore(): DeliveryStore {
  return new MemoryDeliveryStore();
}
