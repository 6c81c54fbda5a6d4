/**
 * The saga store on Deno KV.
 *
 * @module
 */
import { createTimeOrderedId, type StateEvent, type WatchedState } from "@netscript/store";
import type { KvChangeWaits } from "@netscript/store/kv";
import type {
  ClaimedSaga,
  ClaimSagasOptions,
  CommitOutcome,
  HeartbeatOutcome,
  ListSagasOptions,
  NewSaga,
  SagaCommit,
  SagaDetail,
  SagaPage,
  SagaRecord,
  SagaSignal,
  SagaStats,
  SagaStore,
  StartedSaga,
} from "../../ports/saga_store.ts";
import { changeSaga, type SagaChange } from "./_change_saga.ts";
import { claimSagas } from "./_claim_sagas.ts";
import { SagaCommits } from "./_commit_writes.ts";
import { commitOp, type KvContext } from "./_kv_context.ts";
import {
  cancelledSaga,
  extendedSaga,
  isFinished,
  retriedSaga,
  signalledSaga,
  startedSaga,
} from "./_saga_changes.ts";
import { countSagas, listSagas } from "./_saga_listing.ts";
import { readSagaDetail, readSagaRecord } from "./_saga_reads.ts";
import { writeSaga } from "./_saga_writes.ts";
import { sagaTexts, type StoredSignal, toSagaRecord, toSagaSignal } from "./_stored_saga.ts";
import { readStateEvents, removeStateEvents, writeWatch } from "./_state_events.ts";
import { readTexts, writeText } from "./_stored_text.ts";

/**
 * The {@linkcode SagaStore} on an open KV handle. Every write is one
 * atomic operation checked on the saga record's versionstamp, made again
 * from a fresh read when another writer came first; a commit also checks
 * the watched pairs (see {@linkcode SagaCommits}).
 */
export class KvSagaStore implements SagaStore {
  readonly #context: KvContext;
  readonly #waits: KvChangeWaits;
  readonly #ownsKv: boolean;
  readonly #commits: SagaCommits;
  #closed = false;

  /**
   * @param context The handle, keys and error names.
   * @param waits The waits on the store's wake-up counter.
   * @param ownsKv Close the handle in `close()`.
   */
  constructor(context: KvContext, waits: KvChangeWaits, ownsKv: boolean) {
    this.#context = context;
    this.#waits = waits;
    this.#ownsKv = ownsKv;
    this.#commits = new SagaCommits(context);
  }

  /** {@inheritDoc SagaStore.start} */
  async start(saga: NewSaga): Promise<StartedSaga> {
    const { kv, keys } = this.#context;
    for (;;) {
      const op = kv.atomic().check({ key: keys.saga(saga.id), versionstamp: null });
      const stored = startedSaga(saga, writeText(op, keys, saga.id, null, saga.input), Date.now());
      writeSaga(op, keys, null, stored);
      if (saga.lease === undefined) op.sum(keys.wake, 1n);
      if (await commitOp(this.#context, op, `saga "${saga.id}"`)) {
        return { saga: toSagaRecord(stored, [saga.input, null, null]), created: true };
      }
      const existing = await readSagaRecord(this.#context, saga.id);
      if (existing !== null) return { saga: existing, created: false };
    }
  }

  /** {@inheritDoc SagaStore.claim} */
  claim(options: ClaimSagasOptions): Promise<ClaimedSaga[]> {
    return claimSagas(this.#context, options);
  }

  /**
   * {@inheritDoc SagaStore.commit}
   *
   * @throws {RangeError} When the commit's values together (with the copy
   * of the saga's error a watched state's event keeps) are over what one KV
   * atomic operation holds (about 800,000 bytes); nothing was written.
   */
  commit(id: string, owner: string, commit: SagaCommit): Promise<CommitOutcome> {
    return this.#commits.commit(id, owner, commit);
  }

  /** {@inheritDoc SagaStore.heartbeat} */
  async heartbeat(
    owner: string,
    ids: readonly string[],
    leaseMs: number,
  ): Promise<HeartbeatOutcome> {
    const unique = [...new Set(ids)];
    const extended = await Promise.all(
      unique.map((id) =>
        changeSaga(
          this.#context,
          id,
          (saga, _op, now) => saga.leaseOwner === owner ? extendedSaga(saga, now, leaseMs) : null,
        )
      ),
    );
    return {
      held: unique.filter((_, i) => extended[i] !== null),
      cancelRequested: unique.filter((_, i) => extended[i]?.cancelRequested === true),
    };
  }

  /** {@inheritDoc SagaStore.get} */
  get(id: string): Promise<SagaDetail | null> {
    return readSagaDetail(this.#context, id);
  }

  /** {@inheritDoc SagaStore.list} */
  list(options: ListSagasOptions = {}): Promise<SagaPage> {
    return listSagas(this.#context, options);
  }

  /** {@inheritDoc SagaStore.stats} */
  stats(): Promise<SagaStats> {
    return countSagas(this.#context);
  }

  /** {@inheritDoc SagaStore.cancel} */
  cancel(id: string): Promise<SagaRecord | null> {
    const { keys } = this.#context;
    return this.#recordAfter(id, (saga, op, now) => {
      const after = isFinished(saga.state) ? null : cancelledSaga(saga, now);
      if (after !== null) op.sum(keys.wake, 1n);
      return after;
    });
  }

  /** {@inheritDoc SagaStore.signal} */
  async signal(id: string, name: string, payload: string | null): Promise<SagaSignal | null> {
    const { keys } = this.#context;
    let kept: StoredSignal | null = null;
    await changeSaga(this.#context, id, (saga, op, now) => {
      if (isFinished(saga.state)) return null;
      const signal: StoredSignal = {
        id: createTimeOrderedId(now),
        name,
        payload: writeText(op, keys, id, null, payload),
        receivedAt: now,
      };
      op.set(keys.signal(id, signal.id), signal).sum(keys.wake, 1n);
      kept = signal;
      return signalledSaga(saga, now);
    });
    return kept === null ? null : toSagaSignal(kept, payload);
  }

  /** {@inheritDoc SagaStore.retry} */
  retry(id: string): Promise<SagaRecord | null> {
    const { keys } = this.#context;
    return this.#recordAfter(id, (saga, op, now) => {
      if (saga.state !== "failed") return null;
      op.sum(keys.wake, 1n);
      return { ...retriedSaga(saga, now), error: writeText(op, keys, id, saga.error, null) };
    });
  }

  /**
   * {@inheritDoc SagaStore.watchStates}
   *
   * @throws {RangeError} When the pairs are over KV's 64 KiB value limit.
   */
  async watchStates(watched: readonly WatchedState[]): Promise<void> {
    await writeWatch(this.#context, watched);
    this.#commits.forgetWatch();
  }

  /** {@inheritDoc SagaStore.readStateEvents} */
  readStateEvents(limit: number): Promise<StateEvent[]> {
    return readStateEvents(this.#context, limit);
  }

  /** {@inheritDoc SagaStore.removeStateEvents} */
  removeStateEvents(ids: readonly string[]): Promise<void> {
    return removeStateEvents(this.#context, ids);
  }

  /** {@inheritDoc SagaStore.waitForWork} */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#waits.wait(timeoutMs, signal);
  }

  /** {@inheritDoc SagaStore.close} */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#waits.close();
    if (this.#ownsKv) this.#context.kv.close();
  }

  /** Applies `change` with `changeSaga` and returns the saga's record after (or as it is). */
  async #recordAfter(id: string, change: SagaChange): Promise<SagaRecord | null> {
    const after = await changeSaga(this.#context, id, change);
    if (after === null) return await readSagaRecord(this.#context, id);
    const texts = await readTexts(this.#context.kv, this.#context.keys, id, sagaTexts(after));
    return texts === undefined
      ? await readSagaRecord(this.#context, id)
      : toSagaRecord(after, texts);
  }
}
