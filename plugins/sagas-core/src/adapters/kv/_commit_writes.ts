/**
 * `SagaStore.commit`: the journal entries (their old parts deleted), the
 * signal taken, the saga's progress and its state event, if watched, in
 * one atomic operation checked on the saga's versionstamp and on the
 * watched pairs' entry.
 *
 * @module
 */
import type { WatchedState } from "@netscript/store";
import { readMany } from "@netscript/store/kv";
import type { CommitOutcome, SagaCommit, SagaProgress } from "../../ports/saga_store.ts";
import { commitOp, type KvContext } from "./_kv_context.ts";
import { progressedSaga } from "./_saga_changes.ts";
import { writeSaga } from "./_saga_writes.ts";
import { addStateEvent, type WatchEntry } from "./_state_events.ts";
import type { StoredEntry, StoredSaga, StoredSignal } from "./_stored_saga.ts";
import { dropText, writeText } from "./_stored_text.ts";

/**
 * The commits of one store and the watched pairs they check. The pairs
 * are read with the first commit's saga and kept with their versionstamp;
 * every commit checks their key at that versionstamp, so a watch set by
 * any process since fails the commit, which then reads the saga and the
 * pairs again and commits again: a watch is honoured at once without a
 * read of it per commit, and a failed check is never taken for a lost lease.
 */
export class SagaCommits {
  readonly #context: KvContext;
  /** The watched pairs as last read; `undefined` until read, after a failed commit and after a watch. */
  #watch: WatchEntry | undefined;

  /** @param context The handle, keys and error names. */
  constructor(context: KvContext) {
    this.#context = context;
  }

  /**
   * Commits a saga's progress for the owner holding it.
   *
   * @param id The saga's id.
   * @param owner Who commits.
   * @param commit What to write.
   * @returns Whether the owner held the saga (then it was written), and whether a cancel was asked for.
   * @throws {RangeError} When the commit's values are over one KV atomic operation, or the
   * signal to take is not the saga's; nothing was written.
   */
  async commit(id: string, owner: string, commit: SagaCommit): Promise<CommitOutcome> {
    const { kv, keys } = this.#context;
    for (;;) {
      const [entry, watch] = await this.#read(keys.saga(id));
      if (entry.value === null || entry.value.leaseOwner !== owner) {
        return { held: false, cancelRequested: entry.value?.cancelRequested ?? false };
      }
      const op = kv.atomic().check(entry, watch);
      const after = await _addCommit(this.#context, op, entry.value, commit);
      const change = { watch, saga: after, progress: commit.progress ?? {} };
      if (
        await addStateEvent(this.#context, op, change) &&
        await commitOp(this.#context, op, `a commit of saga "${id}"`)
      ) {
        return { held: true, cancelRequested: after.cancelRequested };
      }
      this.#watch = undefined;
    }
  }

  /** Forgets the watched pairs kept, so the next commit reads them with its saga. */
  forgetWatch(): void {
    this.#watch = undefined;
  }

  /** Reads a saga's record, and the watched pairs with it in one read when none are kept. */
  async #read(key: Deno.KvKey): Promise<[Deno.KvEntryMaybe<StoredSaga>, WatchEntry]> {
    const { kv, keys } = this.#context;
    const kept = this.#watch;
    if (kept !== undefined) return [await kv.get<StoredSaga>(key), kept];
    const [entry, watch] = await kv.getMany<[StoredSaga, readonly WatchedState[]]>([
      key,
      keys.watched,
    ]);
    this.#watch = watch;
    return [entry, watch];
  }
}

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
async function _addCommit(
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
