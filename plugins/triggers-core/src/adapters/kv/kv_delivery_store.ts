/**
 * The Deno KV delivery store.
 *
 * @module
 */
import {
  createTimeOrderedId,
  firstTimeOrderedIdAt,
  type StoreErrorOptions,
} from "@netscript/store";
import {
  commitAtomic,
  isKvLimitError,
  KvChangeWaits,
  openKvFile,
  readMany,
} from "@netscript/store/kv";
import {
  type ClaimDeliveriesOptions,
  DELIVERY_STATES,
  type DeliveryOutcome,
  type DeliveryPage,
  type DeliveryRecord,
  type DeliveryState,
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
import { DELIVERY_STORE } from "../_delivery_store_names.ts";
import { storableDelivery } from "../_storable_delivery.ts";
import { writeDelivery } from "./_delivery_writes.ts";
import { KeySpace } from "./_key_space.ts";

/** The bytes of each part of a delivery's body: under a KV value's 65,536. */
const PART_BYTES = 65_000;

/** The most body bytes one atomic operation carries (KV allows 819,200 bytes in all). */
const MAX_BODY_BYTES = 768_000;

const _encoder = new TextEncoder();
const _decoder = new TextDecoder();

/** Options of {@linkcode openKvDeliveryStore}. */
export interface OpenKvDeliveryStoreOptions {
  /**
   * The first parts of every key the store writes, so the file can hold
   * other data too.
   * @default {["triggers"]}
   */
  prefix?: Deno.KvKey | undefined;
  /**
   * How often `waitForWork` reads the wake-up counter in any case: a
   * backstop when the file's folder can be watched, else how records by
   * other processes are seen at all.
   * @default {1000}
   */
  wakePollMs?: number | undefined;
  /**
   * Create the file's folder when it is missing.
   * @default {true}
   */
  createFolder?: boolean | undefined;
}

/** The delivery store on an open KV handle, which `close()` closes. */
class KvDeliveryStore implements DeliveryStore {
  readonly #kv: Deno.Kv;
  readonly #keys: KeySpace;
  readonly #errors: StoreErrorOptions;
  readonly #waits: KvChangeWaits;
  #closed = false;

  constructor(kv: Deno.Kv, keys: KeySpace, errors: StoreErrorOptions, waits: KvChangeWaits) {
    this.#kv = kv;
    this.#keys = keys;
    this.#errors = errors;
    this.#waits = waits;
  }

  async record(delivery: NewDelivery): Promise<Recorded> {
    const checked = storableDelivery(delivery);
    const body = _encoder.encode(`[${checked.payload},${checked.headers}]`);
    if (body.byteLength > MAX_BODY_BYTES) {
      throw new RangeError(
        `Cannot record a delivery of ${body.byteLength} bytes of payload and headers: the Deno KV delivery store holds at most ${MAX_BODY_BYTES}`,
      );
    }
    for (;;) {
      const now = new Date();
      const record = recordedDelivery(createTimeOrderedId(now.getTime()), checked, now);
      const op = this.#kv.atomic();
      if (checked.key !== null) {
        const key = this.#keys.key(checked.trigger, checked.key);
        op.check({ key, versionstamp: null }).set(key, record.id);
      }
      if (checked.cursor !== null) {
        const cursor = await this.#kv.get<string>(this.#keys.cursor(checked.trigger));
        op.check(cursor);
        if (cursor.value === null || checked.cursor > cursor.value) {
          op.set(cursor.key, checked.cursor);
        }
      }
      for (let part = 0; part * PART_BYTES < body.byteLength; part++) {
        op.set(
          [...this.#keys.body(record.id), part],
          body.slice(part * PART_BYTES, (part + 1) * PART_BYTES),
        );
      }
      writeDelivery(op, this.#keys, null, record);
      if (record.state === "pending") op.sum(this.#keys.wake, 1n);
      if ((await this.#commit(op)).ok) {
        return { id: record.id, duplicate: false, state: record.state };
      }
      if (checked.key === null) continue;
      const first = await this.#kv.get<string>(this.#keys.key(checked.trigger, checked.key));
      if (first.value === null) continue;
      const held = await this.#kv.get<StoredDelivery>(this.#keys.delivery(first.value));
      if (held.value !== null) return { id: first.value, duplicate: true, state: held.value.state };
    }
  }

  async claim(options: ClaimDeliveriesOptions): Promise<DeliveryRecord[]> {
    const claimed: StoredDelivery[] = [];
    if (options.limit <= 0) return [];
    const now = new Date();
    const due = this.#kv.list<null>({
      start: this.#keys.due,
      end: [...this.#keys.due, now.getTime() + 1],
    }, { batchSize: Math.min(options.limit * 2, 500) });
    for await (const entry of due) {
      const id = entry.key.at(-1) as string;
      const current = await this.#kv.get<StoredDelivery>(this.#keys.delivery(id));
      const before = current.value;
      if (before === null || claimableAt(before) !== entry.key.at(-2)) continue;
      const after = claimedDelivery(before, options.owner, now, options.leaseMs);
      const op = this.#kv.atomic().check(current);
      writeDelivery(op, this.#keys, before, after);
      if ((await this.#commit(op)).ok) claimed.push(after);
      if (claimed.length >= options.limit) break;
    }
    return await this.#records(claimed);
  }

  async settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean> {
    for (;;) {
      const current = await this.#kv.get<StoredDelivery>(this.#keys.delivery(id));
      if (current.value === null || !isHeldBy(current.value, owner)) return false;
      const after = settledDelivery(current.value, outcome, new Date());
      const op = this.#kv.atomic().check(current);
      writeDelivery(op, this.#keys, current.value, after);
      if (outcome.state === "pending") op.sum(this.#keys.wake, 1n);
      if ((await this.#commit(op)).ok) return true;
    }
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    const { value } = await this.#kv.get<StoredDelivery>(this.#keys.delivery(id));
    return value === null ? null : (await this.#records([value]))[0] ?? null;
  }

  async list(options: ListDeliveriesOptions = {}): Promise<DeliveryPage> {
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 50;
    const states = options.state === undefined ? DELIVERY_STATES : [options.state];
    const counts = await readMany<Deno.KvU64>(
      this.#kv,
      states.map((state) => this.#keys.count(options.trigger, state)),
    );
    const total = counts.reduce((sum, { value }) => sum + Number(value?.value ?? 0n), 0);
    if (limit <= 0 || offset >= total) return { items: [], total };
    const entries = this.#kv.list<null>(
      { prefix: this.#keys.list(options.trigger, options.state) },
      { reverse: true, limit: offset + limit },
    );
    const ids: string[] = [];
    for await (const entry of entries) ids.push(entry.key.at(-1) as string);
    const records = await readMany<StoredDelivery>(
      this.#kv,
      ids.slice(offset).map((id) => this.#keys.delivery(id)),
    );
    const found = records.flatMap(({ value }) => value === null ? [] : [value]);
    return { items: await this.#records(found), total };
  }

  async stats(): Promise<DeliveryStats> {
    const counts = await readMany<Deno.KvU64>(
      this.#kv,
      DELIVERY_STATES.map((state) => this.#keys.count(undefined, state)),
    );
    return Object.fromEntries(
      DELIVERY_STATES.map((state, i) => [state, Number(counts[i]!.value?.value ?? 0n)]),
    ) as Record<DeliveryState, number>;
  }

  async cursor(trigger: string): Promise<string | null> {
    return (await this.#kv.get<string>(this.#keys.cursor(trigger))).value;
  }

  async prune(before: Date): Promise<number> {
    let pruned = 0;
    const end = firstTimeOrderedIdAt(before.getTime());
    for (const state of DELIVERY_STATES) {
      if (state === "pending") continue;
      const prefix = this.#keys.list(undefined, state);
      for await (const entry of this.#kv.list<null>({ start: prefix, end: [...prefix, end] })) {
        if (await this.#delete(entry.key.at(-1) as string, before)) pruned++;
      }
    }
    return pruned;
  }

  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#waits.wait(timeoutMs, signal);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#waits.close();
    this.#kv.close();
  }

  /** Deletes a settled delivery recorded before `before`, its body, indexes and key. */
  async #delete(id: string, before: Date): Promise<boolean> {
    for (;;) {
      const current = await this.#kv.get<StoredDelivery>(this.#keys.delivery(id));
      const delivery = current.value;
      if (delivery === null || delivery.state === "pending" || delivery.receivedAt >= before) {
        return false;
      }
      const op = this.#kv.atomic().check(current);
      writeDelivery(op, this.#keys, delivery, null);
      for await (const part of this.#kv.list({ prefix: this.#keys.body(id) })) op.delete(part.key);
      if (delivery.key !== null) {
        const key = await this.#kv.get<string>(this.#keys.key(delivery.trigger, delivery.key));
        if (key.value === id) op.check(key).delete(key.key);
      }
      if ((await this.#commit(op)).ok) return true;
    }
  }

  /** The records of these deliveries, each with its payload and headers. */
  async #records(deliveries: readonly StoredDelivery[]): Promise<DeliveryRecord[]> {
    return await Promise.all(deliveries.map(async (delivery) => {
      const parts: Uint8Array[] = [];
      for await (
        const part of this.#kv.list<Uint8Array>({ prefix: this.#keys.body(delivery.id) })
      ) {
        parts.push(part.value);
      }
      const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.byteLength;
      }
      const [payload, headers] = JSON.parse(_decoder.decode(bytes));
      return { ...delivery, payload, headers };
    }));
  }

  async #commit(op: Deno.AtomicOperation): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
    try {
      return await commitAtomic(op, this.#errors);
    } catch (error) {
      if (isKvLimitError(error)) {
        throw new RangeError(`Cannot store the delivery in Deno KV: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/**
 * Opens the delivery store on a Deno KV file: the embedded store, durable
 * once a call returns, shared by every process that opens the file (an
 * API recording webhooks, a processor dispatching them). Needs
 * `--unstable-kv` (or `"unstable": ["kv"]` in `deno.json`).
 *
 * A record is one atomic operation with a check that the trigger has no
 * delivery with the key yet, so racing records of one key, from any
 * number of processes, make one delivery; the delivery, its payload and
 * headers (in 65,000-byte parts), its indexes, its counters and the
 * trigger's cursor are written together. Payload and headers together may
 * take at most 768,000 bytes of JSON (a larger delivery is a
 * `RangeError`). Counts per trigger and state are counters kept in the
 * same operations as the states, so `list`'s total and `stats` read a few
 * keys instead of scanning. Claims take each delivery in its own
 * operation, checked against the delivery as read, so two processors
 * never hold one delivery. `waitForWork` watches the file's folder (with
 * read permission for it) and reads a wake-up counter every record and
 * retry bumps, so a write by any process wakes it at once.
 *
 * @param path The KV (SQLite) file, e.g. `.netscript/data/triggers.kv`.
 * @param options The key prefix, the wake-up polling interval, and whether to create the folder.
 * @returns The store; `close()` closes the file.
 * @throws {NetScriptError} `STORE_UNAVAILABLE`, with `details.path`, when
 * Deno KV is not enabled or the file cannot be opened as a KV store.
 *
 * @example
 * ```ts
 * import { openKvDeliveryStore } from "@netscript/plugin-triggers-core/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await openKvDeliveryStore(`${dir}/triggers.kv`);
 * await store.record({ trigger: "github", source: "webhook", key: "d-1", payload: {} });
 * console.log((await store.stats()).pending); // 1
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openKvDeliveryStore(
  path: string,
  options: OpenKvDeliveryStoreOptions = {},
): Promise<DeliveryStore> {
  const kv = await openKvFile(path, {
    createFolder: options.createFolder ?? true,
    store: DELIVERY_STORE,
  });
  const keys = new KeySpace(options.prefix ?? ["triggers"]);
  const errors: StoreErrorOptions = {
    ...DELIVERY_STORE,
    driver: "kv",
    target: JSON.stringify(path),
    details: { path },
  };
  const waits = new KvChangeWaits(kv, keys.wake, { path, pollMs: options.wakePollMs ?? 1000 });
  return new KvDeliveryStore(kv, keys, errors, waits);
}
