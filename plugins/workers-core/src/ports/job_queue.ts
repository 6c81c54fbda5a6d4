/**
 * The job queue port: what the worker runtime, the enqueue client and
 * `workers-api` need from a store. Adapters (memory, Deno KV, Postgres)
 * implement it; `@netscript/plugin-workers-core/testing` holds the
 * conformance suite every adapter passes.
 *
 * @module
 */
import type { StateEventLog } from "@netscript/store";
import {
  isStorableText,
  MAX_ATTEMPTS,
  MAX_PRIORITY,
  MAX_RUN_AT,
  MAX_UNIQUE_KEY_LENGTH,
  MIN_PRIORITY,
  MIN_RUN_AT,
  unstorableTextPaths,
} from "./job_limits.ts";

/**
 * Where a job is in its life. `scheduled` is a queued job whose `runAt` is
 * still in the future; `failed` is a job whose last attempt failed and that
 * waits for its retry; `dead` is a job that failed its last attempt.
 */
export const JOB_STATES = [
  "queued",
  "scheduled",
  "running",
  "completed",
  "failed",
  "dead",
  "cancelled",
] as const;

/** One of {@linkcode JOB_STATES}. */
export type JobState = typeof JOB_STATES[number];

/**
 * The states a job can be watched reaching ({@linkcode JobQueue.watchStates}):
 * an attempt `failed` (a retry waits), `completed`, `dead` (out of
 * attempts) and `cancelled`.
 */
export const WATCHABLE_JOB_STATES = ["completed", "failed", "dead", "cancelled"] as const;

/** One of {@linkcode WATCHABLE_JOB_STATES}. */
export type WatchableJobState = typeof WATCHABLE_JOB_STATES[number];

/** The states a queue stores; `scheduled` is derived from `queued` and `runAt`. */
export type StoredJobState = Exclude<JobState, "scheduled">;

/**
 * The state a caller sees: a queued job whose `runAt` is in the future is
 * `scheduled`.
 *
 * @param state The stored state.
 * @param runAt When the job may run.
 * @param now The current time.
 * @returns The reported state.
 */
export function reportedState(state: StoredJobState, runAt: Date, now: Date): JobState {
  return state === "queued" && runAt.getTime() > now.getTime() ? "scheduled" : state;
}

/**
 * A new job's priority and attempt count, defaults filled in, after checking
 * that every store can keep the job as it is ({@linkcode MIN_PRIORITY} and
 * the other bounds of `job_limits.ts`), as every adapter does before it
 * writes anything.
 *
 * @param job What to enqueue.
 * @returns The priority (default 0) and attempts allowed (default 1).
 * @throws {RangeError} When the priority is not an integer within the
 * bounds, `maxAttempts` is not a positive integer within them, `runAt` is an
 * invalid date or outside years 1 to 9999, the `uniqueKey` is longer than
 * {@linkcode MAX_UNIQUE_KEY_LENGTH}, or the name, `uniqueKey` or input holds
 * a NUL character or a lone surrogate.
 */
export function jobNumbers(job: NewJob): { priority: number; maxAttempts: number } {
  const priority = job.priority ?? 0;
  const maxAttempts = job.maxAttempts ?? 1;
  const problems = [
    ...(Number.isSafeInteger(priority) && priority >= MIN_PRIORITY && priority <= MAX_PRIORITY
      ? []
      : [`priority must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}, got ${priority}`]),
    ...(Number.isSafeInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS
      ? []
      : [`maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS}, got ${maxAttempts}`]),
    ...(job.runAt === undefined || _storableTime(job.runAt)
      ? []
      : [`runAt must be a valid date in years 1 to 9999, got ${job.runAt}`]),
    ...(job.uniqueKey === undefined || [...job.uniqueKey].length <= MAX_UNIQUE_KEY_LENGTH
      ? []
      : [`uniqueKey must be at most ${MAX_UNIQUE_KEY_LENGTH} characters long`]),
    ...(isStorableText(job.name) ? [] : ["name holds a NUL character or a lone surrogate"]),
    ...(job.uniqueKey === undefined || isStorableText(job.uniqueKey)
      ? []
      : ["uniqueKey holds a NUL character or a lone surrogate"]),
    ...unstorableTextPaths(job.input).map((path) =>
      `input${
        path.map((p) => `[${JSON.stringify(p)}]`).join("")
      } holds a NUL character or a lone surrogate`
    ),
  ];
  if (problems.length > 0) {
    throw new RangeError(`Cannot store job ${JSON.stringify(job.name)}: ${problems.join("; ")}`);
  }
  return { priority, maxAttempts };
}

function _storableTime(date: Date): boolean {
  const ms = date.getTime();
  return ms >= MIN_RUN_AT.getTime() && ms <= MAX_RUN_AT.getTime();
}

/**
 * Checks a claim's `kindLimit` as every adapter does before it claims.
 *
 * @param options The claim's options.
 * @throws {RangeError} When `kindLimit` is set and is not a positive
 * integer, or `names` does not hold exactly one name.
 */
export function checkKindLimit(options: ClaimOptions): void {
  const { kindLimit, names } = options;
  if (kindLimit === undefined) return;
  if (!Number.isSafeInteger(kindLimit) || kindLimit < 1 || new Set(names).size !== 1) {
    throw new RangeError(
      `A claim with a kindLimit takes one job name and a positive integer limit, got names [${
        names.join(", ")
      }] and kindLimit ${kindLimit}`,
    );
  }
}

/**
 * Checks a once-key ({@linkcode JobQueue.enqueueOnce}) as every adapter
 * does before it writes anything: a non-empty string every store can keep
 * as it keeps a `uniqueKey`.
 *
 * @param key The once-key.
 * @throws {RangeError} When the key is empty, longer than
 * {@linkcode MAX_UNIQUE_KEY_LENGTH} characters, or holds a NUL character or
 * a lone surrogate.
 *
 * @example
 * ```ts
 * import { checkOnceKey } from "@netscript/plugin-workers-core";
 *
 * checkOnceKey("delivery-42"); // passes
 * // checkOnceKey("") throws a RangeError
 * ```
 */
export function checkOnceKey(key: string): void {
  const problem = typeof key !== "string" || key === ""
    ? "it must be a non-empty string"
    : [...key].length > MAX_UNIQUE_KEY_LENGTH
    ? `it must be at most ${MAX_UNIQUE_KEY_LENGTH} characters long`
    : isStorableText(key)
    ? null
    : "it holds a NUL character or a lone surrogate";
  if (problem !== null) {
    throw new RangeError(`Cannot use ${JSON.stringify(key)} as a once-key: ${problem}`);
  }
}

/**
 * A new job's record without its input, as every adapter stores it:
 * queued, no attempts yet, no lease, defaults filled in.
 *
 * @param job What to enqueue.
 * @param id Its id.
 * @param now The current time.
 * @returns The record.
 * @throws {RangeError} When the priority or `maxAttempts` is not valid ({@linkcode jobNumbers}).
 */
export function newJobRecord(
  job: NewJob,
  id: string,
  now: Date,
): Omit<JobRecord, "input" | "state"> & { readonly state: "queued" } {
  const { priority, maxAttempts } = jobNumbers(job);
  return {
    id,
    name: job.name,
    state: "queued",
    priority,
    runAt: job.runAt ?? now,
    attempts: 0,
    maxAttempts,
    uniqueKey: job.uniqueKey ?? null,
    lastError: null,
    traceparent: job.traceparent ?? null,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
}

/** A job as the queue stores it. */
export interface JobRecord {
  /** The job's id (a UUID). */
  readonly id: string;
  /** The job definition's name. */
  readonly name: string;
  /** The validated input, as JSON. */
  readonly input: unknown;
  /** The state. */
  readonly state: JobState;
  /** Higher runs first. */
  readonly priority: number;
  /** When the job may run next. */
  readonly runAt: Date;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Attempts allowed in total. */
  readonly maxAttempts: number;
  /** The deduplication key, while the job is not finished. */
  readonly uniqueKey: string | null;
  /** The last attempt's error message. */
  readonly lastError: string | null;
  /** The enqueuer's W3C `traceparent`, so the job's span continues its trace. */
  readonly traceparent: string | null;
  /** The worker holding the lease, while running. */
  readonly leaseOwner: string | null;
  /** When the lease runs out, while running. */
  readonly leaseExpiresAt: Date | null;
  /** When it was enqueued. */
  readonly createdAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
  /** When it completed, was cancelled or died. */
  readonly finishedAt: Date | null;
}

/** A job to enqueue. */
export interface NewJob {
  /** The job definition's name. */
  readonly name: string;
  /** The validated input; must be JSON-serialisable. */
  readonly input: unknown;
  /** Higher runs first. @default {0} */
  readonly priority?: number | undefined;
  /** Run no earlier than this. @default {now} */
  readonly runAt?: Date | undefined;
  /** Attempts allowed in total. @default {1} */
  readonly maxAttempts?: number | undefined;
  /**
   * While a job with this key is queued, scheduled, running or waiting for a
   * retry, enqueueing another with the same key returns the existing one.
   */
  readonly uniqueKey?: string | undefined;
  /** The enqueuer's W3C `traceparent`. */
  readonly traceparent?: string | undefined;
}

/** What {@linkcode JobQueue.enqueue} or {@linkcode JobQueue.enqueueOnce} did. */
export interface Enqueued {
  /**
   * The job's id: the new one, the existing job with the same `uniqueKey`,
   * or the job an earlier `enqueueOnce` with the same key recorded.
   */
  readonly id: string;
  /**
   * `true` when no job was added: an unfinished job with the same
   * `uniqueKey` already existed, or the once-key was already recorded.
   */
  readonly deduplicated: boolean;
}

/** Options of {@linkcode JobQueue.claim}. */
export interface ClaimOptions {
  /** Who claims; the lease is held in its name. */
  readonly workerId: string;
  /** At most this many jobs. */
  readonly limit: number;
  /** How long the lease lasts without a heartbeat. */
  readonly leaseMs: number;
  /** Only jobs with these names (the ones this worker can run and has room for). */
  readonly names: readonly string[];
  /**
   * A job kind's concurrency across every worker on the store. With it,
   * `names` holds exactly one name, and the claim takes at most `kindLimit`
   * minus the jobs of that name running now under a lease that has not run
   * out, whichever worker holds them (and never more than `limit`). Claims
   * of one name with a `kindLimit` are serialised, so two workers claiming
   * at once cannot exceed it together.
   */
  readonly kindLimit?: number | undefined;
}

/** Filters of {@linkcode JobQueue.list}. */
export interface ListOptions {
  /** Only jobs in this state. */
  readonly state?: JobState | undefined;
  /** Only jobs with this name. */
  readonly name?: string | undefined;
  /** At most this many. @default {50} */
  readonly limit?: number | undefined;
  /** Skip this many. @default {0} */
  readonly offset?: number | undefined;
}

/** One page of jobs, newest first. */
export interface JobPage {
  /** The jobs. */
  readonly items: readonly JobRecord[];
  /** How many match the filters in total. */
  readonly total: number;
}

/** Job counts by state. */
export type JobStats = Readonly<Record<JobState, number>>;

/**
 * The store behind the workers. Every method is atomic on its own. Methods
 * that act on a running job take the `workerId` that claimed it and do
 * nothing (returning `false`) once another worker has claimed the job, so a
 * worker that was presumed dead cannot overwrite the outcome of the attempt
 * that replaced it. An owner whose lease ran out but whose job nobody has
 * claimed yet still holds it.
 *
 * A job reaching a watched state ({@linkcode StateEventLog.watchStates}
 * with a job name and one of {@linkcode WATCHABLE_JOB_STATES}) through
 * `complete`, `completeMany`, `fail` or `cancel` is recorded as a state
 * event in the same atomic write, with the job's id as `subject` and, for
 * `failed` and `dead`, the attempt's error.
 */
export interface JobQueue extends StateEventLog {
  /** Adds a job, or returns the unfinished job with the same `uniqueKey`. */
  enqueue(job: NewJob): Promise<Enqueued>;
  /**
   * Adds a job at most once per key, for callers that must start a job
   * exactly once per event even when they die between enqueueing and
   * recording that they did (a trigger's delivery, a saga's step).
   *
   * The first call with a key adds the job and records the key with the
   * job's id in one atomic step. Every later call with that key writes
   * nothing and returns `{ id: <that job's id>, deduplicated: true }`,
   * whatever that job's state is now: finished, cancelled, or even deleted.
   * The key is permanent: unlike a `uniqueKey`, it is not freed when the job
   * finishes. When the job also carries a `uniqueKey` held by an unfinished
   * job, the key is recorded against that job and the call returns it with
   * `deduplicated: true`. Concurrent calls with the same key, from any
   * number of processes, add exactly one job.
   *
   * @param key The once-key: a non-empty string of at most
   * {@linkcode MAX_UNIQUE_KEY_LENGTH} characters with no NUL character or
   * lone surrogate ({@linkcode checkOnceKey}).
   * @param job What to enqueue.
   * @returns The job's id, and `deduplicated: true` unless this call added it.
   * @throws {RangeError} When the key or the job is not valid
   * ({@linkcode checkOnceKey}, {@linkcode jobNumbers}); nothing is written then.
   */
  enqueueOnce(key: string, job: NewJob): Promise<Enqueued>;
  /**
   * Adds several jobs. Atomic as a whole where the store allows it
   * (Postgres, memory); the Deno KV adapter is atomic per chunk of jobs,
   * since Deno KV limits the size of one atomic operation.
   */
  enqueueMany(jobs: readonly NewJob[]): Promise<Enqueued[]>;
  /**
   * Claims runnable jobs (queued or failed, `runAt` reached), highest
   * priority first, then earliest `runAt`, then oldest; marks them running,
   * counts the attempt and leases them to the worker. Jobs whose lease ran
   * out are runnable again (their attempt counted).
   */
  claim(options: ClaimOptions): Promise<JobRecord[]>;
  /** Extends the leases the worker still holds; returns the ids it still holds. */
  heartbeat(workerId: string, ids: readonly string[], leaseMs: number): Promise<string[]>;
  /** Marks a running job completed. */
  complete(id: string, workerId: string): Promise<boolean>;
  /**
   * Marks several running jobs completed, as {@linkcode JobQueue.complete}
   * does each; returns the ids it completed (the others the worker no
   * longer held), in the order given.
   */
  completeMany(ids: readonly string[], workerId: string): Promise<string[]>;
  /**
   * Records a failed attempt: with `retryAt`, the job waits in `failed` for
   * its next attempt; without, it is `dead`. The error is recorded as
   * `storableText` makes it (a NUL or a lone surrogate replaced), so any
   * message can be recorded.
   */
  fail(id: string, workerId: string, error: string, retryAt: Date | null): Promise<boolean>;
  /** Gives a running job back without counting the attempt (graceful shutdown). */
  release(id: string, workerId: string): Promise<boolean>;
  /** One job, or `null`. */
  get(id: string): Promise<JobRecord | null>;
  /** Jobs matching the filters, newest first. */
  list(options?: ListOptions): Promise<JobPage>;
  /** Cancels a job that has not finished and is not running; `false` otherwise. */
  cancel(id: string): Promise<boolean>;
  /**
   * Runs a failed, dead or cancelled job again now, with a fresh set of
   * attempts; `false` for any other state. Redriving a dead letter is this.
   * A dead or cancelled job gave up its `uniqueKey` when it finished and
   * runs again without one.
   */
  retry(id: string): Promise<boolean>;
  /** Counts by state. */
  stats(): Promise<JobStats>;
  /**
   * Resolves when a job may have become runnable (an enqueue, a retry, a
   * release) since the previous wait ended, or after `timeoutMs`, whichever
   * is first; work that arrived between two waits ends the next one at once.
   * Spurious wake-ups are allowed.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Releases connections and listeners. */
  close(): Promise<void>;
}

/**
 * The scheduler's store: each schedule's tick fires once, however many
 * scheduler processes run.
 */
export interface ScheduleStore {
  /**
   * Fires one tick of a schedule: records the tick and enqueues its job in
   * one atomic step, so a tick is never lost between the two and never
   * fires twice. Returns the job for exactly one caller per
   * `(schedule, tick)`, and `null` when this tick (or a later one) already
   * fired.
   */
  fireTick(schedule: string, tick: Date, job: NewJob): Promise<Enqueued | null>;
  /** The latest tick fired for a schedule, or `null`. */
  lastTick(schedule: string): Promise<Date | null>;
}
