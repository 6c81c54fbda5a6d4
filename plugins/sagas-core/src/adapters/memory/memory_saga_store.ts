/**
 * The in-memory saga store.
 *
 * @module
 */
import {
  createTimeOrderedId,
  MemoryStateEvents,
  type StateEvent,
  WakeSignal,
  type WatchedState,
} from "@netscript/store";
import {
  type ClaimedSaga,
  type ClaimSagasOptions,
  type CommitOutcome,
  FINISHED_SAGA_STATES,
  type HeartbeatOutcome,
  type ListSagasOptions,
  type NewSaga,
  SAGA_STATES,
  type SagaCommit,
  type SagaDetail,
  type SagaEntry,
  type SagaPage,
  type SagaRecord,
  type SagaSignal,
  type SagaState,
  type SagaStats,
  type SagaStore,
  type StartedSaga,
} from "../../ports/saga_store.ts";

/** A saga's record as this store changes it. */
type _Record = { -readonly [K in keyof SagaRecord]: SagaRecord[K] };

/** A saga as this store holds it: its record, its journal by seq, and its signals oldest first. */
interface _Held {
  saga: _Record;
  readonly entries: Map<number, SagaEntry>;
  signals: SagaSignal[];
  /** A signal arrived since the last claim. */
  signalled: boolean;
}

/**
 * The saga store in this process's memory. Every method runs to its end
 * before another starts, so each is atomic; records are copied in and out,
 * so callers never share a stored object.
 */
class MemorySagaStore implements SagaStore {
  readonly #sagas = new Map<string, _Held>();
  readonly #work = new WakeSignal();
  readonly #closing = new AbortController();
  readonly #stateEvents = new MemoryStateEvents();

  start(saga: NewSaga): Promise<StartedSaga> {
    const existing = this.#sagas.get(saga.id);
    if (existing !== undefined) return _resolve({ saga: existing.saga, created: false });
    const now = new Date();
    const record: _Record = {
      id: saga.id,
      name: saga.name,
      version: saga.version,
      input: saga.input,
      state: "running",
      output: null,
      error: null,
      cancelRequested: false,
      parentId: saga.parentId ?? null,
      runAt: now,
      leaseOwner: saga.lease?.owner ?? null,
      leaseExpiresAt: saga.lease === undefined
        ? null
        : new Date(now.getTime() + saga.lease.leaseMs),
      traceparent: saga.traceparent ?? null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    this.#sagas.set(saga.id, { saga: record, entries: new Map(), signals: [], signalled: false });
    if (saga.lease === undefined) this.#work.wake();
    return _resolve({ saga: record, created: true });
  }

  claim(options: ClaimSagasOptions): Promise<ClaimedSaga[]> {
    const now = new Date();
    const names = new Set(options.names);
    const runnable = [...this.#sagas.values()]
      .filter(({ saga }) => names.has(saga.name) && _runnable(saga, now))
      .sort((a, b) => a.saga.runAt!.getTime() - b.saga.runAt!.getTime() || _byId(a.saga, b.saga))
      .slice(0, Math.max(0, options.limit));
    return _resolve(runnable.map((held) => {
      const saga = held.saga;
      if (saga.state === "waiting") saga.state = "running";
      saga.leaseOwner = options.owner;
      saga.leaseExpiresAt = new Date(now.getTime() + options.leaseMs);
      held.signalled = false;
      saga.updatedAt = now;
      return { saga, entries: _journal(held), signals: held.signals };
    }));
  }

  commit(id: string, owner: string, commit: SagaCommit): Promise<CommitOutcome> {
    const held = this.#sagas.get(id);
    if (held === undefined || held.saga.leaseOwner !== owner) {
      return _resolve({ held: false, cancelRequested: held?.saga.cancelRequested ?? false });
    }
    const taken = commit.takeSignal;
    if (taken !== undefined && !held.signals.some((signal) => signal.id === taken)) {
      return Promise.reject(
        new RangeError(`Cannot take signal "${taken}": saga "${id}" has no such signal`),
      );
    }
    const now = new Date();
    for (const entry of commit.entries ?? []) {
      const startedAt = held.entries.get(entry.seq)?.startedAt ?? now;
      held.entries.set(entry.seq, structuredClone({ ...entry, startedAt, updatedAt: now }));
    }
    if (taken !== undefined) held.signals = held.signals.filter((signal) => signal.id !== taken);
    const saga = held.saga;
    const progress = commit.progress ?? {};
    if (progress.state !== undefined) saga.state = progress.state;
    if (progress.output !== undefined) saga.output = progress.output;
    if (progress.error !== undefined) saga.error = progress.error;
    if (FINISHED_SAGA_STATES.includes(saga.state)) {
      Object.assign(saga, { runAt: null, leaseOwner: null, leaseExpiresAt: null, finishedAt: now });
    } else if (progress.release !== undefined) {
      const wake = saga.state === "waiting" && (saga.cancelRequested || held.signalled);
      const runAt = wake ? now : progress.release.runAt;
      Object.assign(saga, {
        runAt: runAt && new Date(runAt),
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      if (runAt !== null) this.#work.wake();
    }
    saga.updatedAt = now;
    if (progress.state !== undefined) {
      this.#stateEvents.record({
        name: saga.name,
        subject: saga.id,
        state: saga.state,
        error: saga.state === "completed" ? null : saga.error,
        at: now,
      });
    }
    return _resolve({ held: true, cancelRequested: saga.cancelRequested });
  }

  heartbeat(owner: string, ids: readonly string[], leaseMs: number): Promise<HeartbeatOutcome> {
    const now = Date.now();
    const held: string[] = [];
    const cancelRequested: string[] = [];
    for (const id of new Set(ids)) {
      const saga = this.#sagas.get(id)?.saga;
      if (saga === undefined || saga.leaseOwner !== owner) continue;
      saga.leaseExpiresAt = new Date(now + leaseMs);
      held.push(id);
      if (saga.cancelRequested) cancelRequested.push(id);
    }
    return _resolve({ held, cancelRequested });
  }

  get(id: string): Promise<SagaDetail | null> {
    const held = this.#sagas.get(id);
    return _resolve(held === undefined ? null : { saga: held.saga, entries: _journal(held) });
  }

  list(options: ListSagasOptions = {}): Promise<SagaPage> {
    const offset = options.offset ?? 0;
    const matching = [...this.#sagas.values()]
      .map(({ saga }) => saga)
      .filter((saga) =>
        (options.state === undefined || saga.state === options.state) &&
        (options.name === undefined || saga.name === options.name)
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || _byId(b, a));
    return _resolve({
      items: matching.slice(offset, offset + (options.limit ?? 50)),
      total: matching.length,
    });
  }

  stats(): Promise<SagaStats> {
    const counts = Object.fromEntries(SAGA_STATES.map((state) => [state, 0])) as Record<
      SagaState,
      number
    >;
    for (const { saga } of this.#sagas.values()) counts[saga.state]++;
    return _resolve(counts);
  }

  cancel(id: string): Promise<SagaRecord | null> {
    const saga = this.#sagas.get(id)?.saga;
    if (saga === undefined || FINISHED_SAGA_STATES.includes(saga.state)) {
      return _resolve(saga ?? null);
    }
    const now = new Date();
    saga.cancelRequested = true;
    saga.updatedAt = now;
    if (saga.state === "waiting") Object.assign(saga, { state: "running", runAt: now });
    this.#work.wake();
    return _resolve(saga);
  }

  signal(id: string, name: string, payload: string | null): Promise<SagaSignal | null> {
    const held = this.#sagas.get(id);
    if (held === undefined || FINISHED_SAGA_STATES.includes(held.saga.state)) {
      return _resolve(null);
    }
    const now = new Date();
    const signal: SagaSignal = {
      id: createTimeOrderedId(now.getTime()),
      name,
      payload,
      receivedAt: now,
    };
    held.signals.push(signal);
    held.signalled = true;
    if (held.saga.state === "waiting") {
      Object.assign(held.saga, { state: "running", runAt: now, updatedAt: now });
    }
    this.#work.wake();
    return _resolve(signal);
  }

  retry(id: string): Promise<SagaRecord | null> {
    const saga = this.#sagas.get(id)?.saga;
    if (saga === undefined || saga.state !== "failed") return _resolve(saga ?? null);
    const now = new Date();
    Object.assign(saga, {
      state: "running",
      runAt: now,
      error: null,
      finishedAt: null,
      updatedAt: now,
    });
    this.#work.wake();
    return _resolve(saga);
  }

  watchStates(watched: readonly WatchedState[]): Promise<void> {
    return this.#stateEvents.watchStates(watched);
  }

  readStateEvents(limit: number): Promise<StateEvent[]> {
    return this.#stateEvents.readStateEvents(limit);
  }

  removeStateEvents(ids: readonly string[]): Promise<void> {
    return this.#stateEvents.removeStateEvents(ids);
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

/** Whether a saga is claimable at `now`: runnable from a time that has come, and not leased. */
function _runnable(saga: _Record, now: Date): boolean {
  if (saga.runAt === null || saga.runAt > now) return false;
  if (saga.state !== "running" && saga.state !== "compensating" && saga.state !== "waiting") {
    return false;
  }
  return saga.leaseOwner === null || saga.leaseExpiresAt! <= now;
}

function _byId(a: SagaRecord, b: SagaRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function _journal(held: _Held): SagaEntry[] {
  return [...held.entries.values()].sort((a, b) => a.seq - b.seq);
}

/** Resolves with a deep copy of `value`, so callers never hold a stored object. */
function _resolve<T>(value: T): Promise<T> {
  return Promise.resolve(structuredClone(value));
}

/**
 * Creates a saga store in this process's memory: for tests, trials and the
 * `memory` store. Nothing survives the process, and other processes do not
 * see its sagas; use the Deno KV or PostgreSQL store for that.
 *
 * @returns An empty store.
 *
 * @example
 * ```ts
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 *
 * const store = createMemorySagaStore();
 * await store.start({ id: "order-1", name: "checkout", version: 1, input: '{"order":1}' });
 * const [claimed] = await store.claim({ owner: "p1", limit: 1, leaseMs: 30_000, names: ["checkout"] });
 * await store.commit(claimed!.saga.id, "p1", { progress: { state: "completed", output: "true" } });
 * console.log((await store.get("order-1"))?.saga.state); // "completed"
 * await store.close();
 * ```
 */
export function createMemorySagaStore(): SagaStore {
  return new MemorySagaStore();
}
