/**
 * What the saga store conformance steps share: how a step runs, sagas and
 * entries to write, and waiting helpers that never assert wall-clock times.
 *
 * @module
 */
import { equal } from "node:assert/strict";
import type {
  ClaimedSaga,
  NewSaga,
  SagaEntryWrite,
  SagaState,
  SagaStore,
} from "../ports/saga_store.ts";

/** Opens another store on the same data as the step's store (or returns that store). */
export type Peer = () => Promise<SagaStore>;

/** Runs one step on a fresh store, closing it (and any peers) afterwards. */
export type Step = (
  name: string,
  body: (store: SagaStore, peer: Peer) => Promise<void>,
) => Promise<void>;

/** Longer than any step may take: a wait with this timeout ends by something else. */
export const FOREVER = 120_000;

/** A lease no step outlives. */
export const LONG_LEASE = 60_000;

/** The owner most steps claim as. */
export const OWNER = "runner-1";

/**
 * A saga to start: `checkout` version 1 with a small input, changed by `overrides`.
 *
 * @param id Its id.
 * @param overrides Fields to change.
 * @returns The saga.
 */
export function newSaga(id: string, overrides: Partial<NewSaga> = {}): NewSaga {
  return { id, name: "checkout", version: 1, input: '{"order":"o-1","total":42}', ...overrides };
}

/**
 * A completed step entry at `seq`, changed by `overrides`.
 *
 * @param seq Its position.
 * @param overrides Fields to change.
 * @returns The entry to write.
 */
export function stepEntry(seq: number, overrides: Partial<SagaEntryWrite> = {}): SagaEntryWrite {
  return {
    seq,
    kind: "step",
    name: `step-${seq}`,
    state: "completed",
    result: `{"seq":${seq}}`,
    error: null,
    attempts: 1,
    compensates: null,
    wakeAt: null,
    ...overrides,
  };
}

/**
 * Starts a saga and claims it as `owner`, failing when another saga is claimed.
 *
 * @param store The store.
 * @param saga The saga to start.
 * @param owner Who claims it.
 * @param leaseMs How long the lease lasts.
 * @returns The claimed saga.
 */
export async function startClaimed(
  store: SagaStore,
  saga: NewSaga,
  owner: string = OWNER,
  leaseMs: number = LONG_LEASE,
): Promise<ClaimedSaga> {
  await store.start(saga);
  const claimed = await store.claim({ owner, limit: 1, leaseMs, names: [saga.name] });
  equal(claimed.length, 1, `saga "${saga.id}" is claimed`);
  equal(claimed[0]!.saga.id, saga.id, `saga "${saga.id}" is the one claimed`);
  return claimed[0]!;
}

/**
 * Moves a saga the owner holds to `state` and gives its lease up,
 * runnable again from `runAt`.
 *
 * @param store The store.
 * @param id The saga.
 * @param runAt When it is runnable again (`null`: only when woken).
 * @param state Its new state.
 * @param owner Who holds it.
 */
export async function park(
  store: SagaStore,
  id: string,
  runAt: Date | null,
  state: SagaState = "waiting",
  owner: string = OWNER,
): Promise<void> {
  const outcome = await store.commit(id, owner, { progress: { state, release: { runAt } } });
  equal(outcome.held, true, `saga "${id}" is still held by "${owner}"`);
}

/**
 * Claims as `owner` and returns the ids claimed.
 *
 * @param store The store.
 * @param names The names to claim.
 * @param options The owner, limit and lease.
 * @returns The ids, in the order claimed.
 */
export async function claimIds(
  store: SagaStore,
  names: readonly string[],
  options: { owner?: string; limit?: number; leaseMs?: number } = {},
): Promise<string[]> {
  const claimed = await store.claim({
    owner: options.owner ?? OWNER,
    limit: options.limit ?? 10,
    leaseMs: options.leaseMs ?? LONG_LEASE,
    names,
  });
  return claimed.map(({ saga }) => saga.id);
}

/**
 * Whether `date` is within a few seconds of this machine's clock (stores
 * may take times from a database server's clock).
 *
 * @param date A time a store set to "now".
 * @returns `true` when it is near now.
 */
export function nearNow(date: Date | null): boolean {
  return date !== null && Math.abs(date.getTime() - Date.now()) < 5_000;
}

/**
 * @param ms How long.
 * @returns Resolves after `ms`.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves with `what` when it settles within 30 s, else rejects naming it.
 *
 * @param what A promise that should settle soon.
 * @param name What it is, for the failure.
 * @returns Its value.
 */
export async function soon<T>(what: Promise<T>, name: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not end within 30 s`)), 30_000);
  });
  try {
    return await Promise.race([what, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `what` is still pending after `ms`.
 *
 * @param what A promise.
 * @param ms How long to watch it.
 * @returns `true` when it did not settle in that time.
 */
export async function stillPending(what: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = await Promise.race([
    what.then(() => false),
    new Promise<boolean>((resolve) => timer = setTimeout(resolve, ms, true)),
  ]);
  clearTimeout(timer);
  return pending;
}
