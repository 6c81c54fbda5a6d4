/**
 * The mutations that move a job from one record to the next: the record,
 * its claim entry (ready, delayed or lease), its list indexes, its
 * counters and its `uniqueKey`, all in the caller's atomic operation, so
 * indexes and counters change exactly when the state does.
 *
 * @module
 */
import type { ClaimOrder, CountBucket, DelayedEntry, KeySpace } from "./_key_space.ts";
import type { JobOperation } from "./_kv_commit.ts";
import { isWaiting, type StoredJob } from "./_stored_job.ts";

/** A job as read, and where its claim entry is when it waits. */
export interface PlacedJob {
  /** The record as read. */
  readonly job: StoredJob;
  /** For a waiting job: its entry is in the delayed index, not the ready one. */
  readonly delayed: boolean;
}

/**
 * @param job A job.
 * @returns Its claim order.
 */
export function claimOrder(job: StoredJob): ClaimOrder {
  return { name: job.name, priority: job.priority, runAtMs: job.runAt.getTime() };
}

/**
 * Adds to `op` every mutation that turns `before` into `after` (a new job
 * when `before` is `null`). The caller checks the versions it read.
 *
 * @param op The atomic operation.
 * @param keys The queue's keys.
 * @param before The job as read, or `null` for a new job.
 * @param after The job to store.
 * @param nowMs The current time: a waiting job whose `runAt` is later goes to the delayed index.
 */
export function writeJob(
  op: JobOperation,
  keys: KeySpace,
  before: PlacedJob | null,
  after: StoredJob,
  nowMs: number,
): void {
  op.set(keys.job(after.id), after);
  if (before !== null) _removeClaimEntry(op, keys, before);
  _addClaimEntry(op, keys, after, nowMs);
  const stateChanged = before === null || before.job.state !== after.state;
  if (before !== null && stateChanged) {
    op.delete([...keys.byState(before.job.state), after.id]);
    op.delete([...keys.byState(before.job.state, after.name), after.id]);
    _count(op, keys, before.job.state, after.name, -1);
  }
  if (stateChanged) _count(op, keys, after.state, after.name, 1);
  if (stateChanged || before.job.runAt.getTime() !== after.runAt.getTime()) {
    const runAtMs = after.runAt.getTime();
    op.set([...keys.byState(after.state), after.id], runAtMs);
    op.set([...keys.byState(after.state, after.name), after.id], runAtMs);
  }
  if (before === null) {
    op.set([...keys.byName(after.name), after.id], true);
    if (after.uniqueKey !== null) op.set(keys.unique(after.uniqueKey), after.id);
  } else if (before.job.uniqueKey !== null && after.uniqueKey === null) {
    op.delete(keys.unique(before.job.uniqueKey));
  }
}

function _count(
  op: JobOperation,
  keys: KeySpace,
  bucket: CountBucket,
  name: string,
  delta: number,
): void {
  op.count(keys.count(bucket), delta).count(keys.count(bucket, name), delta);
}

function _removeClaimEntry(op: JobOperation, keys: KeySpace, placed: PlacedJob): void {
  const { job } = placed;
  if (job.state === "running") {
    op.delete(keys.lease(job));
  } else if (isWaiting(job.state) && placed.delayed) {
    op.delete(keys.delayedEntry(job));
    if (job.state === "queued") _count(op, keys, "delayed", job.name, -1);
  } else if (isWaiting(job.state)) {
    op.delete(keys.ready(job.id, claimOrder(job)));
  }
}

function _addClaimEntry(
  op: JobOperation,
  keys: KeySpace,
  job: StoredJob,
  nowMs: number,
): void {
  if (job.state === "running") {
    op.set(keys.lease(job), claimOrder(job));
  } else if (isWaiting(job.state) && job.runAt.getTime() > nowMs) {
    const entry: DelayedEntry = { ...claimOrder(job), state: job.state };
    op.set(keys.delayedEntry(job), entry);
    if (job.state === "queued") _count(op, keys, "delayed", job.name, 1);
  } else if (isWaiting(job.state)) {
    op.set(keys.ready(job.id, claimOrder(job)), true);
  }
}
