/**
 * The writes that keep a delivery's indexes and counters in step with its
 * record, added to the atomic operation that changes the record.
 *
 * @module
 */
import type { DeliveryState } from "../../ports/delivery_store.ts";
import { claimableAt, type StoredDelivery } from "../_delivery_changes.ts";
import type { KeySpace } from "./_key_space.ts";

const U64 = 1n << 64n;

/**
 * Writes `after` (or deletes the delivery when it is `null`) in place of
 * `before` (or of nothing, when it is new): the record, the claim index,
 * the list indexes and the counters.
 *
 * @param op The atomic operation.
 * @param keys The key space.
 * @param before The delivery as read, or `null` for a new one.
 * @param after The delivery to write, or `null` to delete it.
 */
export function writeDelivery(
  op: Deno.AtomicOperation,
  keys: KeySpace,
  before: StoredDelivery | null,
  after: StoredDelivery | null,
): void {
  const delivery = (after ?? before)!;
  if (after === null) op.delete(keys.delivery(delivery.id));
  else op.set(keys.delivery(delivery.id), after);
  const dueBefore = before === null ? null : claimableAt(before);
  const dueAfter = after === null ? null : claimableAt(after);
  if (dueBefore !== dueAfter && dueBefore !== null) {
    op.delete(keys.dueEntry(dueBefore, delivery.id));
  }
  if (dueAfter !== null) op.set(keys.dueEntry(dueAfter, delivery.id), null);
  if (before?.state === after?.state) return;
  if (before !== null) _index(op, keys, before, -1n);
  if (after !== null) _index(op, keys, after, 1n);
}

function _index(op: Deno.AtomicOperation, keys: KeySpace, d: StoredDelivery, delta: bigint): void {
  for (const trigger of [undefined, d.trigger]) {
    for (const state of [undefined, d.state] as (DeliveryState | undefined)[]) {
      const key = [...keys.list(trigger, state), d.id];
      if (delta > 0n) op.set(key, null);
      else op.delete(key);
    }
    op.sum(keys.count(trigger, d.state), ((delta % U64) + U64) % U64);
  }
}
