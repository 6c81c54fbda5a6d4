import { NetScriptError } from "@netscript/contracts/errors";
import {
  createLogger,
  extractTraceContext,
  type Logger,
  recordSpanError,
  withSpan,
} from "@netscript/telemetry";
import { SpanKind } from "@opentelemetry/api";
import type { JobDefinition } from "../dsl/define_job.ts";
import type { JobQueue, JobRecord } from "../ports/job_queue.ts";
import { retryDelay } from "./backoff.ts";
import { completionBatch } from "./completion_batch.ts";
import { jobsByName } from "./job_client.ts";

/** Something that happened to a job in a worker, for metrics and tests. */
export interface WorkerEvent {
  /**
   * `completed`; `retrying` (the attempt failed, another follows); `dead`
   * (the last attempt failed); `released` (given back at shutdown);
   * `lease-lost` (another worker took the job over).
   */
  readonly type: "completed" | "retrying" | "dead" | "released" | "lease-lost";
  /** The job as claimed. */
  readonly job: JobRecord;
  /** How long the attempt ran. */
  readonly durationMs: number;
  /** The attempt's error, when it failed. */
  readonly error?: string;
}

/** Options of {@linkcode createWorker}. */
export interface WorkerOptions {
  /** The store. */
  readonly queue: JobQueue;
  /** The jobs this worker runs. */
  readonly jobs: readonly JobDefinition[];
  /** Jobs run at once. @default {1} */
  readonly concurrency?: number | undefined;
  /** The name leases are held in. @default {worker-<pid>-<random>} */
  readonly workerId?: string | undefined;
  /** How long a claimed job stays leased without a heartbeat. @default {30000} */
  readonly leaseMs?: number | undefined;
  /** How often leases are extended. @default {leaseMs / 3} */
  readonly heartbeatMs?: number | undefined;
  /** The longest wait for work between claims when the store sends no wake-up. @default {1000} */
  readonly pollMs?: number | undefined;
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
   * Stops claiming, lets running jobs finish for the grace period, then
   * aborts the rest and gives them back to the queue without counting the
   * attempt. Resolves when nothing runs.
   */
  stop(): Promise<void>;
}

interface Running {
  readonly job: JobRecord;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Creates a worker: it claims jobs it knows with a lease, runs up to
 * `concurrency` at once (and at most a job's own `concurrency` of one
 * kind, counted across every worker on the store), extends the leases
 * while jobs run, completes them (in batches), retries failed attempts
 * with the job's backoff, sends jobs that failed their last attempt to
 * the dead letters, aborts an attempt at its timeout, and gives unfinished
 * jobs back when stopped. Each attempt runs in a span that continues the
 * enqueuer's trace.
 *
 * @param options The store, the jobs and the limits.
 * @returns The worker; call `start()`.
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
 * await worker.stop();
 * await running;
 * ```
 */
export function createWorker(options: WorkerOptions): Worker {
  const jobs = jobsByName(options.jobs);
  const queue = options.queue;
  const concurrency = options.concurrency ?? 1;
  const workerId = options.workerId ?? `worker-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const logger = options.logger ?? createLogger({ service: "workers-worker" });
  const running = new Map<string, Running>();
  /** Outcomes being written, by job id: the job no longer holds a slot, but still its lease. */
  const recording = new Map<string, Promise<void>>();
  const runningByName = new Map<string, number>();
  const stopping = new AbortController();
  let slotFreed = Promise.withResolvers<void>();
  let loop: Promise<void> | undefined;

  const emit = (event: WorkerEvent) => options.onEvent?.(event);
  const complete = completionBatch(queue, workerId);

  /**
   * Which names to claim, and how many, given the free slots; a kind with
   * its own limit is claimed on its own, with that limit for the store to
   * keep across every worker.
   */
  const claimGroups = (): { names: string[]; limit: number; kindLimit?: number }[] => {
    const free = concurrency - running.size;
    if (free <= 0) return [];
    const unlimited = [...jobs.values()].filter((j) => j.concurrency === null).map((j) => j.name);
    const limited = [...jobs.values()].flatMap((j) => {
      const room = (j.concurrency ?? 0) - (runningByName.get(j.name) ?? 0);
      return j.concurrency !== null && room > 0
        ? [{ names: [j.name], limit: room, kindLimit: j.concurrency }]
        : [];
    });
    return [...(unlimited.length > 0 ? [{ names: unlimited, limit: free }] : []), ...limited];
  };

  const settle = async (
    job: JobRecord,
    controller: AbortController,
    error: unknown,
    ms: number,
  ) => {
    const reason = controller.signal.reason;
    if (controller.signal.aborted && _code(reason) === "WORKERS_LEASE_LOST") {
      logger.warn("job lease lost; another worker runs it now", { job: job.id, name: job.name });
      return emit({ type: "lease-lost", job, durationMs: ms });
    }
    if (controller.signal.aborted && _code(reason) === "WORKERS_SHUTDOWN") {
      await queue.release(job.id, workerId);
      logger.info("job given back at shutdown", { job: job.id, name: job.name });
      return emit({ type: "released", job, durationMs: ms });
    }
    if (error === undefined) {
      if (await complete(job.id)) {
        logger.debug("job completed", { job: job.id, name: job.name, attempt: job.attempts, ms });
        return emit({ type: "completed", job, durationMs: ms });
      }
      return emit({ type: "lease-lost", job, durationMs: ms });
    }
    const message = error instanceof Error ? error.message : String(error);
    const final = _code(error) === "WORKERS_INVALID_INPUT" || job.attempts >= job.maxAttempts;
    const definition = jobs.get(job.name)!;
    const retryAt = final
      ? null
      : new Date(Date.now() + retryDelay(definition.retry, job.attempts));
    if (!(await queue.fail(job.id, workerId, message, retryAt))) {
      return emit({ type: "lease-lost", job, durationMs: ms });
    }
    logger[final ? "error" : "warn"](final ? "job failed its last attempt" : "job attempt failed", {
      job: job.id,
      name: job.name,
      attempt: job.attempts,
      of: job.maxAttempts,
      error: message,
      ...(retryAt ? { retryAt: retryAt.toISOString() } : {}),
    });
    emit({ type: final ? "dead" : "retrying", job, durationMs: ms, error: message });
  };

  const execute = async (job: JobRecord, controller: AbortController) => {
    const definition = jobs.get(job.name)!;
    const parent = job.traceparent
      ? extractTraceContext(new Headers({ traceparent: job.traceparent }))
      : undefined;
    const started = performance.now();
    const error = await withSpan(`job ${job.name}`, async (span) => {
      const failure = await _attempt(job, definition, controller, logger);
      if (failure !== undefined) recordSpanError(span, failure);
      return failure;
    }, {
      kind: SpanKind.CONSUMER,
      attributes: {
        "netscript.job.id": job.id,
        "netscript.job.name": job.name,
        "netscript.job.attempt": job.attempts,
      },
      ...(parent ? { parent } : {}),
    });
    // The slot frees as soon as the handler returns; the outcome is written
    // in the background, and the lease is kept alive until it is.
    const recorded = settle(job, controller, error, Math.round(performance.now() - started))
      .catch((storeError) => {
        logger.error(
          "cannot record a job's outcome; once its lease expires another worker takes it over (or marks it dead if that was its last attempt)",
          { job: job.id, name: job.name, error: String(storeError) },
        );
      })
      .finally(() => {
        if (recording.get(job.id) === recorded) recording.delete(job.id);
      });
    recording.set(job.id, recorded);
  };

  const launch = (job: JobRecord) => {
    // A job this worker still runs comes back when its lease lapsed (a stalled
    // event loop): the old attempt has lost it to the new one.
    running.get(job.id)?.controller.abort(
      new NetScriptError("WORKERS_LEASE_LOST", `The lease on job ${job.id} was lost`),
    );
    const controller = new AbortController();
    runningByName.set(job.name, (runningByName.get(job.name) ?? 0) + 1);
    const entry: Running = {
      job,
      controller,
      done: execute(job, controller).finally(() => {
        if (running.get(job.id) === entry) running.delete(job.id);
        runningByName.set(job.name, runningByName.get(job.name)! - 1);
        slotFreed.resolve();
        slotFreed = Promise.withResolvers();
      }),
    };
    running.set(job.id, entry);
  };

  /** Whether some job kind has as many running as its own limit allows. */
  const kindAtLimit = () =>
    [...jobs.values()].some((j) =>
      j.concurrency !== null && (runningByName.get(j.name) ?? 0) >= j.concurrency
    );

  const claimLoop = async () => {
    while (!stopping.signal.aborted) {
      const groups = claimGroups();
      let claimed = 0;
      let more = false;
      try {
        for (const group of groups) {
          const limit = Math.min(group.limit, concurrency - running.size);
          if (limit <= 0 || stopping.signal.aborted) break;
          const batch = await queue.claim({ ...group, workerId, limit, leaseMs });
          for (const job of batch) launch(job);
          claimed += batch.length;
          if (batch.length === limit) more = true;
        }
      } catch (error) {
        logger.error("cannot claim jobs; retrying", { error: String(error) });
        await _sleep(pollMs, stopping.signal);
        continue;
      }
      // A claim that filled its limit may have left more behind: claim again.
      // Otherwise the queue is drained for now; wait for a wake-up, or for a
      // slot when the slots (or a kind's limit) were what stopped the claim.
      if (claimed > 0 && more) continue;
      const waiting = new AbortController();
      if (running.size >= concurrency || kindAtLimit()) {
        slotFreed.promise.then(() => waiting.abort());
      }
      await queue.waitForWork(
        groups.length === 0 ? 60_000 : pollMs,
        AbortSignal.any([waiting.signal, stopping.signal]),
      ).catch(() => _sleep(pollMs, stopping.signal));
      waiting.abort();
    }
  };

  const heartbeat = async () => {
    const ids = [...new Set([...running.keys(), ...recording.keys()])];
    if (ids.length === 0) return;
    let held: string[];
    try {
      held = await queue.heartbeat(workerId, ids, leaseMs);
    } catch (error) {
      logger.warn("cannot extend job leases", { error: String(error) });
      return;
    }
    for (const id of ids) {
      const entry = running.get(id);
      if (entry && !held.includes(id)) {
        entry.controller.abort(
          new NetScriptError("WORKERS_LEASE_LOST", `The lease on job ${id} was lost`),
        );
      }
    }
  };

  return {
    id: workerId,
    get running() {
      return running.size;
    },
    start() {
      if (loop !== undefined) {
        throw new NetScriptError(
          "WORKERS_ALREADY_STARTED",
          `Worker ${workerId} is already started`,
        );
      }
      const timer = setInterval(heartbeat, options.heartbeatMs ?? Math.floor(leaseMs / 3));
      loop = claimLoop().finally(() => clearInterval(timer));
      logger.info("worker started", { worker: workerId, concurrency, jobs: [...jobs.keys()] });
      return loop.then(async () => {
        while (running.size > 0) await Promise.all([...running.values()].map((r) => r.done));
        await Promise.all(recording.values());
      });
    },
    async stop() {
      stopping.abort();
      await loop;
      const graceOver = new AbortController();
      await Promise.race([
        Promise.all([...running.values()].map((r) => r.done)),
        _sleep(options.shutdownGraceMs ?? 10_000, graceOver.signal),
      ]);
      graceOver.abort();
      for (const entry of running.values()) {
        entry.controller.abort(
          new NetScriptError("WORKERS_SHUTDOWN", "The worker is shutting down"),
        );
      }
      await Promise.all([...running.values()].map((r) => r.done));
      await Promise.all(recording.values());
      logger.info("worker stopped", { worker: workerId });
    },
  };
}

/** Runs one attempt; resolves with its error, or `undefined` when it succeeded. */
async function _attempt(
  job: JobRecord,
  definition: JobDefinition,
  controller: AbortController,
  logger: Logger,
): Promise<unknown> {
  if (job.attempts > job.maxAttempts) {
    return new NetScriptError(
      "WORKERS_ATTEMPTS_EXHAUSTED",
      `Job ${job.id} was reclaimed after its worker stopped during attempt ${job.maxAttempts} of ${job.maxAttempts}; it has no attempts left`,
    );
  }
  const parsed = definition.input.safeParse(job.input);
  if (!parsed.success) {
    return new NetScriptError(
      "WORKERS_INVALID_INPUT",
      `The stored input of job ${job.id} no longer matches ${job.name}'s schema: ${parsed.error.message}`,
    );
  }
  const timer = definition.timeout === null ? undefined : setTimeout(() => {
    controller.abort(
      new NetScriptError(
        "WORKERS_JOB_TIMEOUT",
        `Job ${job.name} timed out after ${definition.timeout} ms`,
      ),
    );
  }, definition.timeout);
  const aborted = new Promise<never>((_, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason);
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
      once: true,
    });
  });
  aborted.catch(() => {});
  try {
    await Promise.race([
      (async () =>
        await definition.handler(parsed.data, {
          id: job.id,
          name: job.name,
          attempt: job.attempts,
          maxAttempts: job.maxAttempts,
          signal: controller.signal,
          logger,
        }))(),
      aborted,
    ]);
    return undefined;
  } catch (error) {
    return error ?? new Error("the job failed without an error");
  } finally {
    clearTimeout(timer);
  }
}

function _code(value: unknown): string | undefined {
  return typeof value === "object" && value !== null && "code" in value
    ? String((value as { code: unknown }).code)
    : undefined;
}

/** A sleep that ends early when `signal` aborts, so no timer outlives the worker. */
function _sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
