import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import { extractTraceContext, type Logger, recordSpanError, withSpan } from "@netscript/telemetry";
import { SpanKind } from "@opentelemetry/api";
import type { JobDefinition } from "../dsl/define_job.ts";
import type { JobRecord } from "../ports/job_queue.ts";
import type { WorkersCoreErrorCode } from "../workers_error_codes.ts";

/**
 * How an attempt ended: it succeeded, or it failed with an error; a `final`
 * failure gets no retry whatever attempts are left (the stored input no
 * longer matches the schema, or the job has no attempts left).
 */
export type AttemptResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: unknown; readonly final: boolean };

/** Options of {@linkcode runAttempt}. */
export interface AttemptOptions {
  /** The job's definition. */
  readonly definition: JobDefinition;
  /** Aborts the attempt; the handler sees its signal. */
  readonly controller: AbortController;
  /** The logger the handler receives. */
  readonly logger: Logger;
}

/**
 * Runs one attempt of a claimed job in a span that continues the
 * enqueuer's trace: checks that the job has an attempt left and that its
 * stored input still matches the schema, calls the handler with the parsed
 * input, and aborts the signal at the job's timeout. An attempt ends when
 * the handler settles or the signal aborts, whichever is first, so a
 * handler that ignores its signal still has its attempt end at the
 * timeout. Never rejects.
 *
 * @param job The job as claimed.
 * @param options The definition, the controller and the logger.
 * @returns How it ended, and how long it ran in milliseconds.
 */
export async function runAttempt(
  job: JobRecord,
  options: AttemptOptions,
): Promise<{ result: AttemptResult; durationMs: number }> {
  const parent = job.traceparent
    ? extractTraceContext(new Headers({ traceparent: job.traceparent }))
    : undefined;
  const started = performance.now();
  const result = await withSpan(`job ${job.name}`, async (span) => {
    const result = await _attempt(job, options);
    if (!result.ok) recordSpanError(span, result.error);
    return result;
  }, {
    kind: SpanKind.CONSUMER,
    attributes: {
      "netscript.job.id": job.id,
      "netscript.job.name": job.name,
      "netscript.job.attempt": job.attempts,
    },
    ...(parent ? { parent } : {}),
  });
  return { result, durationMs: Math.round(performance.now() - started) };
}

async function _attempt(
  job: JobRecord,
  { definition, controller, logger }: AttemptOptions,
): Promise<AttemptResult> {
  if (job.attempts > job.maxAttempts) {
    return _final(
      "WORKERS_ATTEMPTS_EXHAUSTED",
      `Job ${job.id} was reclaimed after its worker stopped during attempt ${job.maxAttempts} of ${job.maxAttempts}; it has no attempts left`,
    );
  }
  const parsed = definition.input.safeParse(job.input);
  if (!parsed.success) {
    return _final(
      "WORKERS_INVALID_INPUT",
      `The stored input of job ${job.id} no longer matches ${job.name}'s schema: ${
        formatIssues(parsed.error.issues, { root: "(input)" })
          .map((issue) => `${issue.path} ${issue.message}`).join("; ")
      }`,
    );
  }
  const timer = definition.timeout === null ? undefined : setTimeout(() => {
    controller.abort(
      new NetScriptError<WorkersCoreErrorCode>(
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
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      error: error ?? new Error("the job failed without an error"),
      final: false,
    };
  } finally {
    clearTimeout(timer);
  }
}

function _final(code: WorkersCoreErrorCode, message: string): AttemptResult {
  return { ok: false, error: new NetScriptError<WorkersCoreErrorCode>(code, message), final: true };
}
