/**
 * The job and schedule runtime of NetScript's workers plugin: define jobs
 * and schedules, enqueue jobs with validated input, and run them in worker
 * processes with leases, retries with backoff, dead letters, timeouts,
 * priorities, delays, per-kind limits and deduplication; fire schedules
 * once per tick however many schedulers run. Stores are adapters of the
 * {@linkcode JobQueue} port: Deno KV (embedded), Postgres, Redis, and memory
 * for tests. Types flow from the definitions: a client made from jobs (or
 * from a generated definitions module's `jobs` list) refuses an unknown
 * name or a wrong payload at compile time; `configure()` changes a running
 * worker's limits.
 *
 * @example
 * ```ts
 * import { createJobClient, createWorker, defineJob } from "@netscript/plugin-workers-core";
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { z } from "zod";
 *
 * const resize = defineJob({
 *   name: "resize-image",
 *   input: z.object({ url: z.url(), width: z.int().positive() }),
 *   retry: { attempts: 3 },
 *   handler: ({ url, width }, { logger }) => logger.info("resizing", { url, width }),
 * });
 * const queue = new MemoryJobQueue();
 * await createJobClient({ queue, jobs: [resize] }).enqueue("resize-image", {
 *   url: "https://example.com/a.png",
 *   width: 320,
 * });
 * const worker = createWorker({ queue, jobs: [resize], concurrency: 2 });
 * const done = worker.start();
 * worker.configure({ concurrency: 4 });
 * await worker.stop();
 * await done;
 * ```
 *
 * @module
 */

export {
  defineJob,
  isJobDefinition,
  JOB_NAME_PATTERN,
  type JobContext,
  type JobDefinition,
  type JobOptions,
  type ResolvedRetryPolicy,
  type RetryPolicy,
} from "./src/dsl/define_job.ts";
export { type JobFile, type JobList, type JobsOf, jobsOf } from "./src/dsl/job_list.ts";
export {
  defineSchedule,
  isScheduleDefinition,
  type ScheduleDefinition,
  type ScheduleOptions,
} from "./src/dsl/define_schedule.ts";
export {
  isStorableText,
  MAX_ATTEMPTS,
  MAX_PRIORITY,
  MAX_RUN_AT,
  MAX_UNIQUE_KEY_LENGTH,
  MIN_PRIORITY,
  MIN_RUN_AT,
  storableText,
  unstorableTextPaths,
} from "./src/ports/job_limits.ts";
export {
  checkKindLimit,
  checkOnceKey,
  type ClaimOptions,
  type Enqueued,
  JOB_STATES,
  type JobPage,
  type JobQueue,
  type JobRecord,
  type JobState,
  type JobStats,
  type ListOptions,
  type NewJob,
  newJobRecord,
  reportedState,
  type ScheduleStore,
  type StoredJobState,
  WATCHABLE_JOB_STATES,
  type WatchableJobState,
} from "./src/ports/job_queue.ts";
export { abortableSleep } from "./src/runtime/abortable_sleep.ts";
export { retryDelay } from "./src/runtime/backoff.ts";
export {
  createJobClient,
  type EnqueueArgs,
  type EnqueueOptions,
  type InputIssue,
  type JobClient,
  type JobClientOptions,
  jobsByName,
} from "./src/runtime/job_client.ts";
export {
  createScheduler,
  type FiredTick,
  type Scheduler,
  type SchedulerOptions,
} from "./src/runtime/scheduler.ts";
export type { WorkerEvent } from "./src/runtime/settle_outcome.ts";
export { createWorker, type Worker, type WorkerOptions } from "./src/runtime/worker.ts";
export { DEFAULT_WORKER_LIMITS, type WorkerLimits } from "./src/runtime/worker_limits.ts";
export { WORKERS_CORE_ERROR_CODES, type WorkersCoreErrorCode } from "./src/workers_error_codes.ts";
