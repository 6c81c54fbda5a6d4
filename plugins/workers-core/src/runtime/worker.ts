import { NetScriptError } from "@netscript/contracts/errors";
import { createLogger, type Logger } from "@netscript/telemetry";
import type { JobList } from "../dsl/job_list.ts";
import type { JobQueue, JobRecord } from "../ports/job_queue.ts";
import type { WorkersCoreErrorCode } from "../workers_error_codes.ts";
import { shutdownReason } from "./abort_reasons.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { runClaimLoop, startClaimedAhead } from "./claim_loop.ts";
import { ClaimedAhead } from "./claimed_ahead.ts";
import { completionBatch } from "./completion_batch.ts";
import { createHeartbeat, extendLeases } from "./heartbeat.ts";
import { jobsByName } from "./job_client.ts";
import { runAttempt } from "./run_attempt.ts";
import { RunningJobs } from "./running_jobs.ts";
import { recordOutcome, type SettleContext, type WorkerEvent } from "./settle_outcome.ts";
import { Wakeup } from "./wakeup.ts";
import {
  heartbeatInterval,
  resolveWorkerLimits,
  updateWorkerLimits,
  type WorkerLimits,
} from "./worker_limits.ts";

/** Options of {@linkcode createWorker}. */
export interface WorkerOptions {
  /** The store. */
  readonly queue: JobQueue;
  /**
   * The jobs this worker runs: `defineJob(…)` definitions, or the `jobs`
   * list of a generated definitions module (`{ file, definition }` entries).
   */
  readonly jobs: JobList;
  /** Jobs run at once: an integer from 1. @default {1} */
  readonly concurrency?: number | undefined;
  /** The name leases are held in. @default {worker-<pid>-<random>} */
  readonly workerId?: string | undefined;
  /** How long a claimed job stays leased without a heartbeat: an integer from 3. @default {30000} */
  readonly leaseMs?: number | undefined;
  /** How often leases are extended, fixed. @default {leaseMs / 3, following leaseMs} */
  readonly heartbeatMs?: number | undefined;
  /** The longest wait for work between claims when the store sends no wake-up. @default {1000} */
  readonly pollMs?: number | undefined;
  /**
   * Jobs claimed ahead of a free slot, at most: the worker keeps up to this
   * many jobs leased in a local queue (heartbeating them), refills it in one
   * claim once it has drained to half, and starts them, highest priority
   * first, the moment a slot frees. It raises throughput when jobs are short
   * and the store is the bottleneck; each job may wait behind the queue, so
   * leave it off where add→start latency matters. Kinds with their own
   * `concurrency` are never claimed ahead. `stop()` and a lower value give
   * the jobs back without counting an attempt; those of a worker that dies
   * are taken over once their lease expires, with the attempt counted, as a
   * running job's would be. An integer from 0 (off) to 10000.
   * @default {0}
   */
  readonly claimAhead?: number | undefined;
  /** How long `stop()` lets running jobs finish before giving them back. @default {10000} */
  readonly shutdownGraceMs?: number | undefined;
  /** Where log lines go. @default {a JSON logger named `workers-worker`} */
  readonly logger?: Logger | undefined;
  /** Called for every job outcome. */
  readonly onEvent?: ((event: WorkerEvent) => void) | undefined;
}

/** A running worker. */
export interface Worker {
  /** The name its leases are held in. */
  readonly id: string;
  /** Jobs running now. */
  readonly running: number;
  /** Claims and runs jobs until {@linkcode Worker.stop}; resolves once stopped. */
  start(): Promise<void>;
  /**
   * Stops claiming, gives the jobs claimed ahead back at once, lets running
   * jobs finish for the grace period, then aborts the rest and gives them
   * back; no job given back counts an attempt. Resolves when nothing runs.
   */
  stop(): Promise<void>;
  /**
   * Changes the limits while the worker runs; the fields left out keep
   * their value. A higher `concurrency` claims more at once; a lower one
   * lets running jobs finish and claims no more than the new limit. A new
   * `pollMs` applies to the next wait, a new `leaseMs` to the next claims
   * and heartbeats (every `leaseMs / 3`, unless the worker was created with
   * `heartbeatMs`). A lower `claimAhead` gives the jobs claimed ahead
   * beyond it back at once, without counting an attempt. Nothing changes
   * when a value is invalid.
   *
   * @param limits The limits to change.
   * @throws {RangeError} When a limit is not an integer in its range.
   */
  configure(limits: WorkerLimits): void;
}

/**
 * Creates a worker: it claims jobs it knows with a lease, runs up to
 * `concurrency` at once (and at most a job's own `concurrency` of one
 * kind, counted across every worker on the store), extends the leases
 * while jobs run, completes them (in batches), retries failed attempts
 * with the job's backoff, sends jobs that failed their last attempt to
 * the dead letters, aborts an attempt at its timeout, and gives unfinished
 * jobs back when stopped. With `claimAhead` it keeps a bounded local queue
 * of leased jobs to start without a store call. Each attempt runs in a
 * span that continues the enqueuer's trace. `configure()` changes its
 * limits while it runs.
 *
 * @param options The store, the jobs and the limits.
 * @returns The worker; call `start()`.
 * @throws {RangeError} When `concurrency`, `pollMs`, `leaseMs`,
 * `heartbeatMs` or `claimAhead` is not an integer in its range.
 * @throws {NetScriptError} `WORKERS_DUPLICATE_JOB` when two jobs share a name.
 *
 * @example
 * ```ts
 * import { createWorker, defineJob } from "@netscript/plugin-workers-core";
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { z } from "zod";
 *
 * const queue = new MemoryJobQueue();
 * const hello = defineJob({ name: "hello", input: z.string(), handler: (name) => console.log(`hi ${name}`) });
 * const worker = createWorker({ queue, jobs: [hello], concurrency: 4 });
 * const running = worker.start();
 * await queue.enqueue({ name: "hello", input: "Ada" });
 * worker.configure({ concurrency: 8 });
 * await worker.stop();
 * await running;
 * ```
 */
export function createWorker(options: WorkerOptions): Worker {
  const { queue } = options;
  const jobs = jobsByName<JobList>(options.jobs);
  const workerId = options.workerId ?? `worker-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const logger = options.logger ?? createLogger({ service: "workers-worker" });
  let limits = resolveWorkerLimits(options);
  const ahead = new ClaimedAhead();
  const running = new RunningJobs(() => startClaimedAhead(slots));
  const reconfigured = new Wakeup();
  const stopping = new AbortController();
  const settle: SettleContext = {
    queue,
    workerId,
    complete: completionBatch(queue, workerId),
    logger,
    emit: (event) => options.onEvent?.(event),
  };
  const heartbeat = createHeartbeat(
    () => extendLeases({ queue, workerId, running, ahead, leaseMs: limits.leaseMs, logger }),
    () => heartbeatInterval(limits),
  );
  // Gives jobs claimed ahead back without counting the attempt; a job that
  // cannot be given back is left to its lease.
  const giveBack = (held: readonly JobRecord[]) =>
    Promise.all(held.map(async (job) => {
      try {
        await queue.release(job.id, workerId);
        settle.emit({ type: "released", job, durationMs: 0 });
      } catch (error) {
        logger.error(
          "cannot give back a job claimed ahead; once its lease expires another worker takes it over",
          { job: job.id, name: job.name, error: String(error) },
        );
      }
    }));
  const launch = (job: JobRecord) =>
    running.run(job, async (controller) => {
      const definition = jobs.get(job.name)!;
      const { result, durationMs } = await runAttempt(job, { definition, controller, logger });
      // The slot frees as soon as the handler returns; the outcome is written
      // in the background, and the lease is kept alive until it is.
      const outcome = { job, definition, signal: controller.signal, result, durationMs };
      running.writing(job.id, recordOutcome(settle, outcome));
    });
  const slots = { running, ahead, limits: () => limits, launch, signal: stopping.signal };
  let loop: Promise<void> | undefined;
  let givingBack = Promise.resolve();

  return {
    id: workerId,
    get running() {
      return running.size;
    },
    configure(update) {
      const before = limits;
      limits = updateWorkerLimits(limits, update);
      if (limits.leaseMs !== before.leaseMs) heartbeat.restart();
      const excess = ahead.trim(limits.claimAhead);
      if (excess.length > 0) givingBack = Promise.all([givingBack, giveBack(excess)]).then();
      startClaimedAhead(slots);
      reconfigured.fire();
      logger.info("worker reconfigured", { worker: workerId, ...limits });
    },
    start() {
      if (loop !== undefined) {
        throw new NetScriptError<WorkersCoreErrorCode>(
          "WORKERS_ALREADY_STARTED",
          `Worker ${workerId} is already started`,
        );
      }
      heartbeat.start();
      loop = runClaimLoop({ ...slots, queue, workerId, jobs, reconfigured, logger });
      logger.info("worker started", {
        worker: workerId,
        concurrency: limits.concurrency,
        claimAhead: limits.claimAhead,
        jobs: [...jobs.keys()],
      });
      return loop.then(() => running.idle()).finally(() => heartbeat.stop());
    },
    async stop() {
      stopping.abort();
      await loop;
      await Promise.all([givingBack, giveBack(ahead.trim(0))]);
      const graceOver = new AbortController();
      await Promise.race([
        running.finished(),
        abortableSleep(options.shutdownGraceMs ?? 10_000, graceOver.signal),
      ]);
      graceOver.abort();
      running.abortAll(shutdownReason());
      await running.idle();
      heartbeat.stop();
      logger.info("worker stopped", { worker: workerId });
    },
  };
}
