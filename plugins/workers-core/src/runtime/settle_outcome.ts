import type { Logger } from "@netscript/telemetry";
import type { JobDefinition } from "../dsl/define_job.ts";
import type { JobQueue, JobRecord } from "../ports/job_queue.ts";
import { abortKind } from "./abort_reasons.ts";
import { retryDelay } from "./backoff.ts";
import type { AttemptResult } from "./run_attempt.ts";

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

/** Where a worker writes outcomes, and whom it tells. */
export interface SettleContext {
  /** The store. */
  readonly queue: JobQueue;
  /** The worker holding the jobs. */
  readonly workerId: string;
  /**
   * Completes a job; resolves with whether the worker still held it
   * (a `completionBatch`, or `queue.complete`).
   */
  readonly complete: (id: string) => Promise<boolean>;
  /** Where log lines go. */
  readonly logger: Logger;
  /** Told every outcome. */
  readonly emit: (event: WorkerEvent) => void;
}

/** One attempt, ended. */
export interface AttemptOutcome {
  /** The job as claimed. */
  readonly job: JobRecord;
  /** Its definition, for its retry policy. */
  readonly definition: JobDefinition;
  /** The attempt's signal: aborted by the worker when the lease was lost or at shutdown. */
  readonly signal: AbortSignal;
  /** How the attempt ended. */
  readonly result: AttemptResult;
  /** How long it ran. */
  readonly durationMs: number;
}

/**
 * Writes an attempt's outcome. An attempt aborted for a lost lease writes
 * nothing (`lease-lost`); one aborted at shutdown gives the job back
 * without counting the attempt (`released`); a success completes it
 * (`completed`); a failure waits for a retry after the job's backoff
 * (`retrying`), or dies when it was the last attempt or a final failure
 * (`dead`). A write that finds the job held by another worker is
 * `lease-lost`.
 *
 * @param context The store, the worker and whom to tell.
 * @param outcome The attempt.
 * @returns A promise that resolves once the outcome is written and emitted.
 * @throws When the store cannot be written.
 */
export async function settleOutcome(
  context: SettleContext,
  outcome: AttemptOutcome,
): Promise<void> {
  const { queue, workerId, logger, emit } = context;
  const { job, result, durationMs } = outcome;
  const seen = { job, durationMs };
  const aborted = abortKind(outcome.signal);
  if (aborted === "lease-lost") {
    logger.warn("job lease lost; another worker runs it now", { job: job.id, name: job.name });
    return emit({ type: "lease-lost", ...seen });
  }
  if (aborted === "shutdown") {
    await queue.release(job.id, workerId);
    logger.info("job given back at shutdown", { job: job.id, name: job.name });
    return emit({ type: "released", ...seen });
  }
  if (result.ok) {
    if (!(await context.complete(job.id))) return emit({ type: "lease-lost", ...seen });
    logger.debug("job completed", {
      job: job.id,
      name: job.name,
      attempt: job.attempts,
      ms: durationMs,
    });
    return emit({ type: "completed", ...seen });
  }
  const message = result.error instanceof Error ? result.error.message : String(result.error);
  const final = result.final || job.attempts >= job.maxAttempts;
  const retryAt = final
    ? null
    : new Date(Date.now() + retryDelay(outcome.definition.retry, job.attempts));
  if (!(await queue.fail(job.id, workerId, message, retryAt))) {
    return emit({ type: "lease-lost", ...seen });
  }
  logger[final ? "error" : "warn"](final ? "job failed its last attempt" : "job attempt failed", {
    job: job.id,
    name: job.name,
    attempt: job.attempts,
    of: job.maxAttempts,
    error: message,
    ...(retryAt ? { retryAt: retryAt.toISOString() } : {}),
  });
  emit({ type: final ? "dead" : "retrying", ...seen, error: message });
}

/**
 * {@linkcode settleOutcome}, for a worker that does not wait for it: a
 * store that cannot be written is logged, and the job is left to its lease
 * (once it expires another worker takes the job over, or marks it dead if
 * that was its last attempt). Never rejects.
 *
 * @param context The store, the worker and whom to tell.
 * @param outcome The attempt.
 * @returns A promise that resolves once the outcome is written, or could not be.
 */
export async function recordOutcome(
  context: SettleContext,
  outcome: AttemptOutcome,
): Promise<void> {
  try {
    await settleOutcome(context, outcome);
  } catch (error) {
    context.logger.error(
      "cannot record a job's outcome; once its lease expires another worker takes it over (or marks it dead if that was its last attempt)",
      { job: outcome.job.id, name: outcome.job.name, error: String(error) },
    );
  }
}
