/**
 * Where the Deno KV delivery store keeps each piece of a delivery, under
 * one prefix.
 *
 * - `delivery/<id>` → the delivery without its payload and headers.
 * - `body/<id>/<part>` → its payload and headers as UTF-8 JSON, in parts
 *   under KV's 64 KiB value limit, written once with the delivery.
 * - `key/<trigger>/<key>` → the id of the delivery holding that key.
 * - `due/<ms>/<id>`: a pending delivery, by when it can next be claimed
 *   (its `runAt`, or its lease's end while held), then age (ids are
 *   UUIDv7, so they sort by age).
 * - `list/<trigger|"">/<state|"">/<id>`: the list indexes, one entry per
 *   filter a listing can have (all, a trigger, a state, both).
 * - `count/<trigger|"">/<state>`: `Deno.KvU64` counters per state, of all
 *   triggers and of each, changed in the same operations as the states.
 * - `cursor/<trigger>` → the trigger's cursor; `wake`: the wake-up counter.
 *
 * @module
 */
import type { DeliveryState } from "../../ports/delivery_store.ts";

/** Builds every key of one store. */
export class KeySpace {
  readonly #prefix: Deno.KvKey;

  /** @param prefix The first parts of every key. */
  constructor(prefix: Deno.KvKey) {
    this.#prefix = prefix;
  }

  /** The wake-up counter. */
  get wake(): Deno.KvKey {
    return [...this.#prefix, "wake"];
  }

  /** The prefix of the claim index. */
  get due(): Deno.KvKey {
    return [...this.#prefix, "due"];
  }

  /** @param id A delivery id. @returns Its record's key. */
  delivery(id: string): Deno.KvKey {
    return [...this.#prefix, "delivery", id];
  }

  /** @param id A delivery id. @returns The prefix of its body's parts. */
  body(id: string): Deno.KvKey {
    return [...this.#prefix, "body", id];
  }

  /** @param trigger A trigger. @param key A deduplication key. @returns Its index key. */
  key(trigger: string, key: string): Deno.KvKey {
    return [...this.#prefix, "key", trigger, key];
  }

  /** @param ms When it can be claimed. @param id A delivery id. @returns Its claim index key. */
  dueEntry(ms: number, id: string): Deno.KvKey {
    return [...this.due, ms, id];
  }

  /** @param trigger A trigger, or all. @param state A state, or all. @returns The list index prefix. */
  list(trigger: string | undefined, state: DeliveryState | undefined): Deno.KvKey {
    return [...this.#prefix, "list", trigger ?? "", state ?? ""];
  }

  /** @param trigger A trigger, or all. @param state A state. @returns Its counter. */
  count(trigger: string | undefined, state: DeliveryState): Deno.KvKey {
    return [...this.#prefix, "count", trigger ?? "", state];
  }

  /** @param trigger A trigger. @returns Its cursor's key. */
  cursor(trigger: string): Deno.KvKey {
    return [...this.#prefix, "cursor", trigger];
  }
}
