/**
 * The writes that keep a saga's indexes and counters in step with its
 * record, added to the atomic operation that changes the record.
 *
 * @module
 */
import type { SagaState } from "../../ports/saga_store.ts";
import { isFinished } from "./_saga_changes.ts";
import type { KeySpace } from "./_key_space.ts";
import type { StoredSaga } from "./_stored_saga.ts";

const U64 = 1n << 64n;

/**
 * Writes `after` in place of `before` (or of nothing, when it is new): the
 * record, the claim indexes, the list indexes and the counters.
 *
 * @param op The atomic operation.
 * @param keys The key space.
 * @param before The saga as read, or `null` for a new one.
 * @param after The saga to write.
 */
export function writeSaga(
  op: Deno.AtomicOperation,
  keys: KeySpace,
  before: StoredSaga | null,
  after: StoredSaga,
): void {
  op.set(keys.saga(after.id), after);
  for (const index of [_readyKey, _leaseKey]) {
    const was = before === null ? null : index(keys, before);
    const now = index(keys, after);
    if (was !== null && (now === null || !_sameKey(was, now))) op.delete(was);
    if (now !== null) op.set(now, after.runAt);
  }
  if (before?.state === after.state) return;
  if (before !== null) _index(op, keys, before, -1n);
  _index(op, keys, after, 1n);
}

/** The `ready` entry of an unleased, unfinished saga with a `runAt`; its value is the `runAt`. */
function _readyKey(keys: KeySpace, saga: StoredSaga): Deno.KvKey | null {
  if (isFinished(saga.state) || saga.leaseOwner !== null || saga.runAt === null) return null;
  return [...keys.readyOf(saga.name), saga.runAt, saga.id];
}

/** The `lease` entry of a leased, unfinished saga with a `runAt`, by when it is claimable again; its value is the `runAt`. */
function _leaseKey(keys: KeySpace, saga: StoredSaga): Deno.KvKey | null {
  if (isFinished(saga.state) || saga.leaseOwner === null || saga.runAt === null) return null;
  const claimable = Math.max(saga.leaseExpiresAt ?? 0, saga.runAt);
  return [...keys.leasesOf(saga.name), claimable, saga.id];
}

function _sameKey(a: Deno.KvKey, b: Deno.KvKey): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function _index(op: Deno.AtomicOperation, keys: KeySpace, saga: StoredSaga, delta: bigint): void {
  for (const name of [undefined, saga.name]) {
    for (const state of [undefined, saga.state] as (SagaState | undefined)[]) {
      const key = [...keys.list(name, state), saga.createdAt, saga.id];
      if (delta > 0n) op.set(key, null);
      else op.delete(key);
    }
    op.sum(keys.count(name, saga.state), ((delta % U64) + U64) % U64);
  }
}
