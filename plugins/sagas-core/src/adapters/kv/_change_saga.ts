/**
 * Changing one saga in an atomic operation checked on its record's
 * versionstamp, read again and changed again when another writer (a
 * process, a handle, a call) came first.
 *
 * @module
 */
import { commitOp, type KvContext } from "./_kv_context.ts";
import { writeSaga } from "./_saga_writes.ts";
import type { StoredSaga } from "./_stored_saga.ts";

/**
 * A change of one saga: given the saga as read, an operation to add
 * writes to and the time, the saga to write (the same object to commit
 * the operation without rewriting the saga), or `null` to commit nothing.
 */
export type SagaChange = (
  saga: StoredSaga,
  op: Deno.AtomicOperation,
  nowMs: number,
) => StoredSaga | null;

/**
 * Applies `change` to the saga as read, with its indexes and counters, in
 * one operation checked on the saga's versionstamp; on a conflict, reads
 * the saga again and applies `change` again.
 *
 * @param context The handle, keys and error names.
 * @param id The saga's id.
 * @param change The change.
 * @returns The saga as written, or `null` when it is unknown or the change wrote nothing.
 */
export async function changeSaga(
  context: KvContext,
  id: string,
  change: SagaChange,
): Promise<StoredSaga | null> {
  const { kv, keys } = context;
  for (;;) {
    const entry = await kv.get<StoredSaga>(keys.saga(id));
    if (entry.value === null) return null;
    const op = kv.atomic().check(entry);
    const after = change(entry.value, op, Date.now());
    if (after === null) return null;
    if (after !== entry.value) writeSaga(op, keys, entry.value, after);
    if (await commitOp(context, op, `saga "${id}"`)) return after;
  }
}
