/**
 * How each call of the KV saga store changes a saga as kept, as pure
 * functions of the saga as read and the time: the store writes the
 * result in an atomic operation checked on the saga's versionstamp.
 *
 * @module
 */
import {
  FINISHED_SAGA_STATES,
  type NewSaga,
  type SagaProgress,
  type SagaState,
} from "../../ports/saga_store.ts";
import type { StoredSaga } from "./_stored_saga.ts";
import type { StoredText } from "./_stored_text.ts";

/**
 * Whether a state is one a saga never leaves on its own.
 *
 * @param state A state.
 * @returns `true` for `completed`, `compensated`, `failed` and `cancelled`.
 */
export function isFinished(state: SagaState): boolean {
  return FINISHED_SAGA_STATES.includes(state);
}

/**
 * A new saga: `running`, runnable now, unleased.
 *
 * @param saga The saga to start.
 * @param input Its input as kept (written by the caller).
 * @param nowMs The time of the start.
 * @returns The saga.
 */
export function startedSaga(saga: NewSaga, input: StoredText, nowMs: number): StoredSaga {
  return {
    id: saga.id,
    name: saga.name,
    version: saga.version,
    input,
    state: "running",
    output: null,
    error: null,
    cancelRequested: false,
    parentId: saga.parentId ?? null,
    runAt: nowMs,
    leaseOwner: saga.lease?.owner ?? null,
    leaseExpiresAt: saga.lease === undefined ? null : nowMs + saga.lease.leaseMs,
    traceparent: saga.traceparent ?? null,
    createdAt: nowMs,
    updatedAt: nowMs,
    finishedAt: null,
  };
}

/**
 * Whether a claim at `nowMs` may take the saga: it has not finished, its
 * `runAt` has come, and no live lease holds it.
 *
 * @param saga The saga as read.
 * @param nowMs The time of the claim.
 * @returns `true` when it is runnable now.
 */
export function isClaimable(saga: StoredSaga, nowMs: number): boolean {
  return !isFinished(saga.state) && saga.runAt !== null && saga.runAt <= nowMs &&
    (saga.leaseOwner === null || (saga.leaseExpiresAt ?? 0) <= nowMs);
}

/**
 * The saga leased to `owner`; a `waiting` one becomes `running`.
 *
 * @param saga The saga as read, claimable.
 * @param owner Who claims it.
 * @param nowMs The time of the claim.
 * @param leaseMs How long the lease lasts.
 * @returns The claimed saga.
 */
export function claimedSaga(
  saga: StoredSaga,
  owner: string,
  nowMs: number,
  leaseMs: number,
): StoredSaga {
  return {
    ...saga,
    state: saga.state === "waiting" ? "running" : saga.state,
    signalled: false,
    leaseOwner: owner,
    leaseExpiresAt: nowMs + leaseMs,
    updatedAt: nowMs,
  };
}

/**
 * The saga with its lease extended.
 *
 * @param saga The saga as read, leased.
 * @param nowMs The time of the heartbeat.
 * @param leaseMs How long the lease lasts from now.
 * @returns The saga.
 */
export function extendedSaga(saga: StoredSaga, nowMs: number, leaseMs: number): StoredSaga {
  return { ...saga, leaseExpiresAt: nowMs + leaseMs };
}

/**
 * The saga moved by a commit's progress (its output and error already
 * written by the caller): a new state, the lease given up on a release or
 * a finished state; reaching a finished state sets `finishedAt` and
 * clears `runAt`.
 *
 * @param saga The saga as read, held by the committer.
 * @param progress The commit's progress.
 * @param nowMs The time of the commit.
 * @returns The saga.
 */
export function progressedSaga(
  saga: StoredSaga,
  progress: SagaProgress,
  nowMs: number,
): StoredSaga {
  const state = progress.state ?? saga.state;
  const finishing = isFinished(state) && !isFinished(saga.state);
  const release = progress.release;
  const releasing = release !== undefined || isFinished(state);
  return {
    ...saga,
    state,
    runAt: isFinished(state)
      ? null
      : release === undefined
      ? saga.runAt
      : release.runAt?.getTime() ?? null,
    leaseOwner: releasing ? null : saga.leaseOwner,
    leaseExpiresAt: releasing ? null : saga.leaseExpiresAt,
    updatedAt: nowMs,
    finishedAt: finishing ? nowMs : saga.finishedAt,
  };
}

/**
 * The saga with a cancel asked for; a `waiting` one becomes `running`,
 * runnable now.
 *
 * @param saga The saga as read, not finished.
 * @param nowMs The time of the cancel.
 * @returns The saga, or `null` when the cancel changes nothing (it was
 * asked for already and the saga is not waiting).
 */
export function cancelledSaga(saga: StoredSaga, nowMs: number): StoredSaga | null {
  if (saga.cancelRequested && saga.state !== "waiting") return null;
  return {
    ...saga,
    cancelRequested: true,
    ...(saga.state === "waiting" ? { state: "running", runAt: nowMs } : {}),
    updatedAt: nowMs,
  };
}

/**
 * The saga after a signal arrived, marked so a release into `waiting`
 * wakes it: a `waiting` one becomes `running`, runnable now.
 *
 * @param saga The saga as read, not finished.
 * @param nowMs The time the signal arrived.
 * @returns The saga.
 */
export function signalledSaga(saga: StoredSaga, nowMs: number): StoredSaga {
  if (saga.state !== "waiting") return { ...saga, signalled: true };
  const runAt = saga.runAt === null ? nowMs : Math.min(saga.runAt, nowMs);
  return { ...saga, state: "running", runAt, signalled: true, updatedAt: nowMs };
}

/**
 * A `failed` saga made `running`, runnable now, its error cleared by the
 * caller.
 *
 * @param saga The saga as read, `failed`.
 * @param nowMs The time of the retry.
 * @returns The saga.
 */
export function retriedSaga(saga: StoredSaga, nowMs: number): StoredSaga {
  return {
    ...saga,
    state: "running",
    runAt: nowMs,
    leaseOwner: null,
    leaseExpiresAt: null,
    updatedAt: nowMs,
    finishedAt: null,
  };
}
