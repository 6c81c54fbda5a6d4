/**
 * The error codes of `@netscript/plugin-workers-core`, as a typed catalog.
 * Its store adapters raise the framework's shared store codes instead
 * (`STORE_UNAVAILABLE`, `SCHEMA_MISSING` of `@netscript/contracts/errors`,
 * `STORE_INVALID` of `@netscript/store`).
 *
 * @module
 */

/**
 * Every code `@netscript/plugin-workers-core` raises, with what it means and
 * what to do.
 *
 * @example
 * ```ts
 * import { WORKERS_CORE_ERROR_CODES } from "@netscript/plugin-workers-core";
 *
 * console.log(WORKERS_CORE_ERROR_CODES.WORKERS_UNKNOWN_JOB);
 * ```
 */
export const WORKERS_CORE_ERROR_CODES = {
  WORKERS_INVALID_JOB:
    "defineJob() was given a bad name, retry policy, timeout or priority; the message lists every problem. Fix the job's options.",
  WORKERS_INVALID_SCHEDULE:
    "defineSchedule() was given a bad name, a job that is not a job definition, an unknown time zone, a cron pattern croner refuses, or an input the job's schema refuses. Fix the schedule the message names.",
  WORKERS_UNKNOWN_JOB:
    "A job was enqueued by a name no job definition has (over HTTP, 422 UNKNOWN_JOB). Use one of the job names the message lists, or add the job under jobs/.",
  WORKERS_INVALID_INPUT:
    "A job's input does not match its schema: at enqueue (over HTTP, 400 BAD_REQUEST), or when a worker finds a stored input the schema no longer accepts (the job goes to dead). Fix the fields the message lists; redrive a dead job once its input or schema is fixed.",
  WORKERS_INPUT_TOO_LARGE:
    "The Deno KV job store refused a job as too large for one KV value (its input over about 64 KiB, or its uniqueKey over 2 KiB); nothing was enqueued (over HTTP, 400 BAD_REQUEST). Keep job inputs small and pass larger data by reference (a URL, a row id).",
  WORKERS_DUPLICATE_JOB:
    "Two job definitions share a name. Rename one of them; job names are unique in a workspace.",
  WORKERS_ALREADY_STARTED: "Worker.start() was called a second time. Start each worker once.",
  WORKERS_JOB_TIMEOUT:
    "A job's attempt ran past the job's timeout; it is the reason of the attempt's signal and the job's lastError, and the job is retried while attempts are left. Make the handler finish sooner, honour its signal, or raise the job's timeout.",
  WORKERS_LEASE_LOST:
    "The worker no longer holds the job's lease (another worker claimed it after a missed heartbeat); it is the reason of the attempt's signal and the attempt's outcome is discarded. Stop the handler's work when its signal aborts; check for event-loop stalls longer than the lease.",
  WORKERS_SHUTDOWN:
    "The worker is stopping and gives the job back after the grace period; it is the reason of the attempt's signal. Stop the handler's work when its signal aborts; the job runs again later.",
  WORKERS_ATTEMPTS_EXHAUSTED:
    "A worker claimed a job whose previous worker stopped (crashed, was killed, lost its lease) during the job's last attempt; the job went to dead without its handler being called. Check whether the stopped attempt did its work, then redrive the job if needed.",
} as const;

/** One of {@linkcode WORKERS_CORE_ERROR_CODES}. */
export type WorkersCoreErrorCode = keyof typeof WORKERS_CORE_ERROR_CODES;
