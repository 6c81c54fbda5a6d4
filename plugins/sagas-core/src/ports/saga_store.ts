/**
 * The saga store port: where sagas, their journals and their signals are
 * kept. A saga's journal is the ordered list of what its `run` did (steps,
 * sleeps, signal waits, recorded values, jobs and children started,
 * compensations); the runner replays it after a restart instead of doing
 * the work again. {@linkcode SagaStore.commit} is the one write a step
 * costs: the step's outcome and the saga's progress together, atomically,
 * only while the runner still holds the saga's lease.
 *
 * Adapters (memory, Deno KV, PostgreSQL) implement it;
 * `@netscript/plugin-sagas-core/testing` holds the conformance suite every
 * adapter passes.
 *
 * @module
 */
import type { StateEventLog } from "@netscript/store";

/**
 * Where a saga is. `running`: runnable now or being run (also while a
 * failed step waits for its retry); `waiting`: asleep or waiting for a
 * signal, out of memory; `completed`: `run` returned; `compensating`: a
 * step failed (or the saga was cancelled) and its compensations are
 * running; `compensated`: they all ran after a failure; `cancelled`: they
 * all ran after a cancel; `failed`: it needs attention (a compensation
 * kept failing, the code diverged from the journal, its version is gone)
 * and can be retried.
 */
export const SAGA_STATES = [
  "running",
  "waiting",
  "completed",
  "compensating",
  "compensated",
  "failed",
  "cancelled",
] as const;

/** One of {@linkcode SAGA_STATES}. */
export type SagaState = typeof SAGA_STATES[number];

/** The states a saga never leaves on its own: only `retry` moves a `failed` one. */
export const FINISHED_SAGA_STATES: readonly SagaState[] = [
  "completed",
  "compensated",
  "failed",
  "cancelled",
];

/** A saga as the store keeps it. */
export interface SagaRecord {
  /** Its id: the idempotency key it was started with, or a generated one. */
  readonly id: string;
  /** The saga definition's name. */
  readonly name: string;
  /** The definition's version it started on; it runs on that version only. */
  readonly version: number;
  /** Its input, as JSON text. */
  readonly input: string;
  /** Where it is. */
  readonly state: SagaState;
  /** What `run` returned, as JSON text, once `completed` (`null` for `undefined`). */
  readonly output: string | null;
  /** Why it failed, was compensated or was cancelled. */
  readonly error: string | null;
  /** `true` once a cancel was asked for. */
  readonly cancelRequested: boolean;
  /** The saga that started it as a child, if any. */
  readonly parentId: string | null;
  /** Runnable from this time; `null` while it waits for a signal with no timeout. */
  readonly runAt: Date | null;
  /** Who holds its lease now. */
  readonly leaseOwner: string | null;
  /** When that lease runs out. */
  readonly leaseExpiresAt: Date | null;
  /** The starter's W3C `traceparent`. */
  readonly traceparent: string | null;
  /** When it was started. */
  readonly createdAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
  /** When it reached `completed`, `compensated`, `failed` or `cancelled`. */
  readonly finishedAt: Date | null;
}

/**
 * What a journal entry records: a `step`; a `sleep`; a `signal` wait; a
 * `value` of `ctx.now()`, `ctx.uuid()` or `ctx.random()`; a `job`
 * started; a `child` saga started; a `compensation` of an earlier step.
 */
export const SAGA_ENTRY_KINDS = [
  "step",
  "sleep",
  "signal",
  "value",
  "job",
  "child",
  "compensation",
] as const;

/** One of {@linkcode SAGA_ENTRY_KINDS}. */
export type SagaEntryKind = typeof SAGA_ENTRY_KINDS[number];

/**
 * Where an entry is: `completed` (its result is final), `failed` (its
 * last attempt failed and no attempt is left), `retrying` (an attempt
 * failed; the next runs from `wakeAt`), `waiting` (a sleep or signal wait
 * not over yet).
 */
export const SAGA_ENTRY_STATES = ["completed", "failed", "retrying", "waiting"] as const;

/** One of {@linkcode SAGA_ENTRY_STATES}. */
export type SagaEntryState = typeof SAGA_ENTRY_STATES[number];

/** One entry of a saga's journal. */
export interface SagaEntry {
  /** Its position in the journal, from 0. */
  readonly seq: number;
  /** What it records. */
  readonly kind: SagaEntryKind;
  /** The name the saga gave it (for a value: `now`, `uuid` or `random`). */
  readonly name: string;
  /** Where it is. */
  readonly state: SagaEntryState;
  /** Its result as JSON text (`null` for none or `undefined`). */
  readonly result: string | null;
  /** Why its last attempt failed. */
  readonly error: string | null;
  /** Attempts begun. */
  readonly attempts: number;
  /** For a compensation: the `seq` of the step it compensates. */
  readonly compensates: number | null;
  /** When a sleep ends, a signal wait times out, or a retry runs. */
  readonly wakeAt: Date | null;
  /** When it was first written. */
  readonly startedAt: Date;
  /** When it was last written. */
  readonly updatedAt: Date;
}

/** An entry to write: inserted, or replacing the entry with the same `seq`. */
export type SagaEntryWrite = Omit<SagaEntry, "startedAt" | "updatedAt">;

/** A signal sent to a saga, kept until a `waitForSignal` of its name takes it. */
export interface SagaSignal {
  /** Its id. */
  readonly id: string;
  /** The signal's name. */
  readonly name: string;
  /** Its payload as JSON text (`null` for none). */
  readonly payload: string | null;
  /** When it arrived. */
  readonly receivedAt: Date;
}

/** A saga to start. */
export interface NewSaga {
  /** Its id, unique in the store: starting the same id again returns the first saga. */
  readonly id: string;
  /** The definition's name. */
  readonly name: string;
  /** The definition's version. */
  readonly version: number;
  /** Its input, as JSON text. */
  readonly input: string;
  /** The saga that starts it as a child. */
  readonly parentId?: string | undefined;
  /** The starter's W3C `traceparent`. */
  readonly traceparent?: string | undefined;
  /**
   * Starts it leased to a runner that runs it at once (it starts and runs
   * the saga itself): no wake-up is sent, and no other runner claims it
   * while the lease lasts.
   */
  readonly lease?: { readonly owner: string; readonly leaseMs: number } | undefined;
}

/** What {@linkcode SagaStore.start} did. */
export interface StartedSaga {
  /** The saga: the new one, or the one already started with the id. */
  readonly saga: SagaRecord;
  /** `true` when it was started now; `false` when the id was taken (nothing was written). */
  readonly created: boolean;
}

/** Options of {@linkcode SagaStore.claim}. */
export interface ClaimSagasOptions {
  /** Who claims; the leases are held in its name. */
  readonly owner: string;
  /** At most this many sagas. */
  readonly limit: number;
  /** How long a lease lasts without a heartbeat. */
  readonly leaseMs: number;
  /** Only sagas with these names (the ones the runner has definitions for). */
  readonly names: readonly string[];
}

/** A claimed saga: the record, its journal in `seq` order, and its signals not taken yet. */
export interface ClaimedSaga {
  /** The saga, now `running` (or `compensating`) and leased to the claimer. */
  readonly saga: SagaRecord;
  /** Its journal, by `seq`. */
  readonly entries: readonly SagaEntry[];
  /** Signals not taken yet, oldest first. */
  readonly signals: readonly SagaSignal[];
}

/** How {@linkcode SagaStore.commit} changes the saga itself. */
export interface SagaProgress {
  /** Its new state. */
  readonly state?: SagaState | undefined;
  /** What `run` returned (with `completed`), as JSON text. */
  readonly output?: string | null | undefined;
  /** Why it failed, was compensated or cancelled. */
  readonly error?: string | null | undefined;
  /**
   * Gives the lease up, runnable again from `runAt` (`null`: only when a
   * signal or a cancel wakes it). A saga reaching a finished state gives
   * its lease up without it.
   */
  readonly release?: { readonly runAt: Date | null } | undefined;
}

/** One atomic write of a saga's runner: entries, a signal taken, and progress. */
export interface SagaCommit {
  /** Entries to insert or replace, by `seq`. */
  readonly entries?: readonly SagaEntryWrite[] | undefined;
  /** The id of a signal this commit takes (it is deleted). */
  readonly takeSignal?: string | undefined;
  /** Changes to the saga. */
  readonly progress?: SagaProgress | undefined;
}

/** What {@linkcode SagaStore.commit} found. */
export interface CommitOutcome {
  /** `false` when the owner no longer held the lease: nothing was written. */
  readonly held: boolean;
  /** `true` when a cancel of the saga was asked for. */
  readonly cancelRequested: boolean;
}

/** What {@linkcode SagaStore.heartbeat} found. */
export interface HeartbeatOutcome {
  /** The sagas whose leases were extended (the owner still held them). */
  readonly held: readonly string[];
  /** Of those, the ones a cancel was asked for. */
  readonly cancelRequested: readonly string[];
}

/** A saga with its whole journal. */
export interface SagaDetail {
  /** The saga. */
  readonly saga: SagaRecord;
  /** Its journal, by `seq`. */
  readonly entries: readonly SagaEntry[];
}

/** Filters of {@linkcode SagaStore.list}. */
export interface ListSagasOptions {
  /** Only sagas in this state. */
  readonly state?: SagaState | undefined;
  /** Only sagas of this definition. */
  readonly name?: string | undefined;
  /** At most this many. @default {50} */
  readonly limit?: number | undefined;
  /** Skip this many. @default {0} */
  readonly offset?: number | undefined;
}

/** One page of sagas, newest first. */
export interface SagaPage {
  /** The sagas. */
  readonly items: readonly SagaRecord[];
  /** How many match the filters in total. */
  readonly total: number;
}

/** Saga counts by state. */
export type SagaStats = Readonly<Record<SagaState, number>>;

/**
 * The store behind the sagas. Every method is atomic on its own. Methods
 * of a runner take the `owner` that claimed the saga and write nothing
 * once it no longer holds the lease, so a runner presumed dead cannot
 * overwrite the work of the one that replaced it.
 *
 * A commit that moves a saga to a watched state
 * ({@linkcode StateEventLog.watchStates} with a saga name and one of
 * {@linkcode FINISHED_SAGA_STATES}) records a state event in the same
 * atomic write, with the saga's id as `subject` and, unless it
 * `completed`, the saga's error.
 */
export interface SagaStore extends StateEventLog {
  /**
   * Starts a saga `running` and runnable now (leased, with `lease`),
   * unless the id is taken: then nothing is written and the existing saga
   * is returned.
   */
  start(saga: NewSaga): Promise<StartedSaga>;
  /**
   * Claims runnable sagas of the given names, oldest `runAt` first: those
   * `running` or `compensating` with `runAt` come and no live lease, and
   * those `waiting` whose `runAt` has come (they become `running`). Leases
   * them to `owner`.
   */
  claim(options: ClaimSagasOptions): Promise<ClaimedSaga[]>;
  /**
   * Writes entries, takes a signal and moves the saga, all or nothing,
   * when `owner` still holds its lease. Releasing (or finishing) ends the
   * lease. A release into `waiting` makes the saga runnable now instead of
   * at `runAt` when a signal arrived since it was claimed, or a cancel was
   * asked for: they came while it ran, when waking it was not needed.
   *
   * @throws {RangeError} When the signal to take is not the saga's.
   */
  commit(id: string, owner: string, commit: SagaCommit): Promise<CommitOutcome>;
  /** Extends the leases `owner` still holds among `ids`. */
  heartbeat(owner: string, ids: readonly string[], leaseMs: number): Promise<HeartbeatOutcome>;
  /** A saga and its journal, or `null`. */
  get(id: string): Promise<SagaDetail | null>;
  /** Sagas matching the filters, newest first. */
  list(options?: ListSagasOptions): Promise<SagaPage>;
  /** Counts by state. */
  stats(): Promise<SagaStats>;
  /**
   * Asks a saga that has not finished to cancel: sets `cancelRequested`,
   * and a `waiting` saga becomes `running`, runnable now. Returns the
   * saga as it is after (unchanged when it had finished), or `null` for an
   * unknown id.
   */
  cancel(id: string): Promise<SagaRecord | null>;
  /**
   * Keeps a signal for a saga that has not finished, and makes a
   * `waiting` saga runnable now. Returns the signal, or `null` when the
   * saga is unknown or finished (nothing is kept).
   */
  signal(id: string, name: string, payload: string | null): Promise<SagaSignal | null>;
  /**
   * Makes a `failed` saga `running`, runnable now, with its error
   * cleared; returns it, or `null` for an unknown id. Other states are
   * returned unchanged.
   */
  retry(id: string): Promise<SagaRecord | null>;
  /**
   * Resolves when a saga may have become runnable (a start, a release, a
   * signal, a cancel, a retry) since the previous wait ended, or after
   * `timeoutMs`, whichever is first, also for writes by other processes.
   * Spurious wake-ups are allowed.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Releases connections and watchers. */
  close(): Promise<void>;
}
