/**
 * The writes of one `SagaStore.commit`: the journal entries
 * (their old parts deleted), the signal taken, and the saga's progress,
 * added to one atomic operation checked on the saga's versionstamp.
 *
 * @module
 */
import { readMany } from "@netscript/store/kv";
import type { SagaCommit, SagaProgress } from "../../ports/saga_store.ts";
import type { KvContext } from "./_kv_context.ts";
import { progressedSaga } from "./_saga_changes.ts";
import { writeSaga } from "./_saga_writes.ts";
import type { StoredEntry, StoredSaga, StoredSignal } from "./_stored_saga.ts";
import { dropText, writeText } from "./_stored_text.ts";

/**
 * Adds a commit's checks and writes to `op`.
 *
 * @param context The handle and keys.
 * @param op The operation, already checked on the saga's record.
 * @param saga The saga as read, held by the committer.
 * @param commit What to write.
 * @returns The saga as written.
 * @throws {RangeError} When the signal to take is not the saga's.
 */
export async function addCommit(
  context: KvContext,
  op: Deno.AtomicOperation,
  saga: StoredSaga,
  commit: SagaCommit,
): Promise<StoredSaga> {
  const { kv, keys } = context;
  const now = Date.now();
  const writes = [...new Map((commit.entries ?? []).map((entry) => [entry.seq, entry])).values()];
  const [signal, before] = await Promise.all([
    commit.takeSignal === undefined
      ? null
      : kv.get<StoredSignal>(keys.signal(saga.id, commit.takeSignal)),
    readMany<StoredEntry>(kv, writes.map(({ seq }) => keys.entry(saga.id, seq))),
  ]);
  if (signal !== null) {
    if (signal.value === null) {
      throw new RangeError(
        `Cannot take signal "${commit.takeSignal}" in a commit of saga "${saga.id}": the saga has no such signal; take a signal the claim returned with the saga`,
      );
    }
    dropText(op, keys, saga.id, signal.value.payload);
    op.check(signal).delete(signal.key);
  }
  writes.forEach((write, i) => {
    const old = before[i]!.value;
    const entry: StoredEntry = {
      seq: write.seq,
      kind: write.kind,
      name: write.name,
      state: write.state,
      result: writeText(op, keys, saga.id, old?.result ?? null, write.result),
      error: writeText(op, keys, saga.id, old?.error ?? null, write.error),
      attempts: write.attempts,
      compensates: write.compensates,
      wakeAt: write.wakeAt?.getTime() ?? null,
      startedAt: old?.startedAt ?? now,
      updatedAt: now,
    };
    op.set(keys.entry(saga.id, write.seq), entry);
  });
  const progress = _wakingProgress(saga, commit, now);
  const after = progressedSaga(
    {
      ...saga,
      output: progress.output === undefined
        ? saga.output
        : writeText(op, keys, saga.id, saga.output, progress.output),
      error: progress.error === undefined
        ? saga.error
        : writeText(op, keys, saga.id, saga.error, progress.error),
    },
    progress,
    now,
  );
  writeSaga(op, keys, saga, after);
  if (progress.release !== undefined) op.sum(keys.wake, 1n);
  return after;
}

/**
 * A commit's progress, made runnable now when it releases the saga into
 * `waiting` while a cancel was asked for or a signal arrived since the
 * claim: they came while it ran. A signal or cancel that arrives between
 * the read and the commit writes the saga's record, so the commit's check
 * fails and it is read again.
 */
function _wakingProgress(saga: StoredSaga, commit: SagaCommit, now: number): SagaProgress {
  const progress = commit.progress ?? {};
  if (progress.state !== "waiting" || progress.release === undefined) return progress;
  return saga.cancelRequested || saga.signalled === true
    ? { ...progress, release: { runAt: new Date(now) } }
    : progress;
}
