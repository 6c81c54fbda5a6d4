/**
 * A job as the Deno KV queue stores it (without its input), and the steps
 * of its life as pure functions from one record to the next.
 *
 * @module
 */
import {
  type JobRecord,
  type NewJob,
  newJobRecord,
  reportedState,
  type StoredJobState,
} from "../../ports/job_queue.ts";

/** A job record without its input, in its stored state. */
export type StoredJob = Readonly<Omit<JobRecord, "input" | "state"> & { state: StoredJobState }>;

/** Longer error messages are cut to this many characters, so a record stays well under KV's 64 KiB. */
const MAX_ERROR_LENGTH = 8192;

/** @param state A stored state. @returns Whether a job in it waits to run (queued or failed). */
export function isWaiting(state: StoredJobState): boolean {
  return state === "queued" || state === "failed";
}

/** @param job A stored job. @param workerId A worker. @returns Whether the worker holds its lease. */
export function isHeldBy(job: StoredJob, workerId: string): boolean {
  return job.state === "running" && job.leaseOwner === workerId;
}

/**
 * @param job A stored job.
 * @param input Its input.
 * @param now The current time, to tell `scheduled` from `queued`.
 * @returns The job as callers see it.
 */
export function toJobRecord(job: StoredJob, input: unknown, now: Date): JobRecord {
  return { ...job, input, state: reportedState(job.state, job.runAt, now) };
}

/** @param job What to enqueue. @param id Its id. @param now The current time. @returns The new record. */
export function newJob(job: NewJob, id: string, now: Date): StoredJob {
  return newJobRecord(job, id, now);
}

/** @returns The job running for `workerId`, its attempt counted, leased for `leaseMs`. */
export function claimedJob(
  job: StoredJob,
  workerId: string,
  now: Date,
  leaseMs: number,
): StoredJob {
  return {
    ...job,
    state: "running",
    attempts: job.attempts + 1,
    leaseOwner: workerId,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    updatedAt: now,
  };
}

/** @returns The job with its lease extended by `leaseMs` from now. */
export function renewedJob(job: StoredJob, now: Date, leaseMs: number): StoredJob {
  return { ...job, leaseExpiresAt: new Date(now.getTime() + leaseMs) };
}

/** @returns The job waiting in `failed` for its attempt at `retryAt`. */
export function failedJob(job: StoredJob, error: string, retryAt: Date, now: Date): StoredJob {
  return {
    ...job,
    state: "failed",
    runAt: retryAt,
    lastError: error.slice(0, MAX_ERROR_LENGTH),
    leaseOwner: null,
    leaseExpiresAt: null,
    updatedAt: now,
  };
}

/** @returns The job given back without its attempt counted. */
export function releasedJob(job: StoredJob, now: Date): StoredJob {
  return {
    ...job,
    state: job.lastError === null ? "queued" : "failed",
    attempts: job.attempts - 1,
    leaseOwner: null,
    leaseExpiresAt: null,
    updatedAt: now,
  };
}

/** @returns The job finished in `state`, its `uniqueKey` freed. */
export function settledJob(
  job: StoredJob,
  state: "completed" | "dead" | "cancelled",
  now: Date,
  error: string | null = null,
): StoredJob {
  return {
    ...job,
    state,
    lastError: error === null ? job.lastError : error.slice(0, MAX_ERROR_LENGTH),
    uniqueKey: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    updatedAt: now,
    finishedAt: now,
  };
}

/** @returns The job queued to run now with a fresh set of attempts. */
export function retriedJob(job: StoredJob, now: Date): StoredJob {
  return { ...job, state: "queued", attempts: 0, runAt: now, finishedAt: null, updatedAt: now };
}
