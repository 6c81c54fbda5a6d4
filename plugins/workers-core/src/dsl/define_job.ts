import { NetScriptError } from "@netscript/contracts/errors";
import type { Logger } from "@netscript/telemetry";
import type { z } from "zod";
import type { WorkersCoreErrorCode } from "../workers_error_codes.ts";
import { MAX_ATTEMPTS, MAX_PRIORITY, MIN_PRIORITY } from "../ports/job_limits.ts";

/** How a failed job is retried. */
export interface RetryPolicy {
  /** Attempts in total, the first included. @default {3} */
  readonly attempts?: number | undefined;
  /** `exponential` doubles the delay after each failure; `fixed` keeps it. @default {"exponential"} */
  readonly backoff?: "exponential" | "fixed" | undefined;
  /** The delay before the second attempt, in milliseconds. @default {1000} */
  readonly delay?: number | undefined;
  /** The longest delay between attempts, in milliseconds. @default {3600000} */
  readonly maxDelay?: number | undefined;
}

/** A retry policy with every default filled in. */
export interface ResolvedRetryPolicy {
  /** Attempts in total, the first included. */
  readonly attempts: number;
  /** How the delay grows. */
  readonly backoff: "exponential" | "fixed";
  /** The delay before the second attempt, in milliseconds. */
  readonly delay: number;
  /** The longest delay between attempts, in milliseconds. */
  readonly maxDelay: number;
}

/** What a job's handler receives besides its input. */
export interface JobContext {
  /** The job's id. */
  readonly id: string;
  /** The job definition's name. */
  readonly name: string;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  /** Attempts allowed in total. */
  readonly maxAttempts: number;
  /**
   * Aborted when the job times out, when the worker lost the job's lease,
   * or when the worker shuts down and the job will run again elsewhere.
   * Pass it to `fetch` and database calls, or check it in loops.
   */
  readonly signal: AbortSignal;
  /** A logger whose lines carry the job's trace. */
  readonly logger: Logger;
}

/**
 * The options of {@linkcode defineJob}.
 *
 * @template TInput The input schema.
 * @template TName The job's name, kept as a literal type.
 */
export interface JobOptions<TInput extends z.ZodType, TName extends string = string> {
  /** The job's name, unique in the workspace, e.g. `send-welcome-email`. */
  readonly name: TName;
  /** The input schema; enqueued input is validated against it. */
  readonly input: TInput;
  /** Does the work. Throwing (or rejecting) fails the attempt. */
  readonly handler: (input: z.output<TInput>, context: JobContext) => unknown;
  /** How failures are retried. */
  readonly retry?: RetryPolicy | undefined;
  /** Milliseconds an attempt may take; then its signal aborts and the attempt fails. */
  readonly timeout?: number | undefined;
  /** Higher runs first. @default {0} */
  readonly priority?: number | undefined;
  /** At most this many of these jobs at once, across every worker on the store. @default {no limit} */
  readonly concurrency?: number | undefined;
  /**
   * A deduplication key from the input: while a job with the same key is
   * unfinished, enqueueing another returns the existing one.
   */
  readonly uniqueKey?: ((input: z.output<TInput>) => string) | undefined;
}

/**
 * A validated job definition, as `defineJob` returns it. Its type keeps the
 * input schema and the literal name, so `JobClient.enqueue` can check a
 * payload against them; `JobDefinition` alone is any job.
 *
 * @template TInput The input schema.
 * @template TName The job's name.
 */
export interface JobDefinition<
  TInput extends z.ZodType = z.ZodType,
  TName extends string = string,
> {
  /** Always `job`. */
  readonly kind: "job";
  /** The job's name. */
  readonly name: TName;
  /** The input schema. */
  readonly input: TInput;
  /** Does the work. */
  readonly handler: (input: z.output<TInput>, context: JobContext) => unknown;
  /** The retry policy with its defaults filled in. */
  readonly retry: ResolvedRetryPolicy;
  /** The attempt timeout in milliseconds, or `null` for none. */
  readonly timeout: number | null;
  /** The default priority. */
  readonly priority: number;
  /** At most this many of this job at once across every worker, or `null` for no limit. */
  readonly concurrency: number | null;
  /** The deduplication key function, when given. */
  readonly uniqueKey: ((input: z.output<TInput>) => string) | null;
}

/** Job and schedule names: lowercase letters, digits, `-`, `_`, `.` and `:`. */
export const JOB_NAME_PATTERN: RegExp = /^[a-z0-9][a-z0-9._:-]{0,127}$/;

/**
 * Defines a background job: its name, an input schema, the handler, and how
 * it is retried, timed out, prioritised, limited and deduplicated. Put one
 * `export default defineJob(…)` in each file under the workspace's `jobs/`.
 *
 * The returned definition keeps the input schema and the literal name in its
 * type (`JobDefinition<typeof schema, "send-welcome-email">`), so a client
 * made with it checks each enqueued payload at compile time.
 *
 * @param options The job.
 * @returns The validated, frozen definition.
 * @throws {NetScriptError} `WORKERS_INVALID_JOB`, naming every invalid option.
 *
 * @example
 * ```ts
 * import { defineJob } from "@netscript/plugin-workers-core";
 * import { z } from "zod";
 *
 * export default defineJob({
 *   name: "send-welcome-email",
 *   input: z.object({ to: z.email() }),
 *   retry: { attempts: 5, backoff: "exponential", delay: 1_000 },
 *   timeout: 10_000,
 *   async handler({ to }, { signal, logger }) {
 *     logger.info("sending", { to });
 *     await fetch("https://mail.example.com/send", { method: "POST", body: to, signal });
 *   },
 * });
 * ```
 */
export function defineJob<TInput extends z.ZodType, const TName extends string = string>(
  options: JobOptions<TInput, TName>,
): JobDefinition<TInput, TName> {
  const retry: ResolvedRetryPolicy = {
    attempts: options.retry?.attempts ?? 3,
    backoff: options.retry?.backoff ?? "exponential",
    delay: options.retry?.delay ?? 1_000,
    maxDelay: options.retry?.maxDelay ?? 3_600_000,
  };
  const problems = [
    ...(JOB_NAME_PATTERN.test(String(options.name))
      ? []
      : [`name ${JSON.stringify(options.name)} must match ${JOB_NAME_PATTERN}`]),
    ...(typeof options.input?.safeParse === "function" ? [] : ["input must be a zod schema"]),
    ...(typeof options.handler === "function" ? [] : ["handler must be a function"]),
    ..._integer("retry.attempts", retry.attempts, 1, MAX_ATTEMPTS),
    ...(["exponential", "fixed"].includes(retry.backoff)
      ? []
      : ['retry.backoff must be "exponential" or "fixed"']),
    ..._integer("retry.delay", retry.delay, 0),
    ..._integer("retry.maxDelay", retry.maxDelay, 0),
    ...(options.timeout === undefined ? [] : _integer("timeout", options.timeout, 1)),
    ...(options.priority === undefined
      ? []
      : _integer("priority", options.priority, MIN_PRIORITY, MAX_PRIORITY)),
    ...(options.concurrency === undefined ? [] : _integer("concurrency", options.concurrency, 1)),
    ...(options.uniqueKey === undefined || typeof options.uniqueKey === "function"
      ? []
      : ["uniqueKey must be a function of the input"]),
  ];
  if (problems.length > 0) {
    throw new NetScriptError<WorkersCoreErrorCode>(
      "WORKERS_INVALID_JOB",
      `Invalid job ${JSON.stringify(options.name)}: ${problems.join("; ")}`,
      { details: { job: options.name, problems } },
    );
  }
  return Object.freeze({
    kind: "job",
    name: options.name,
    input: options.input,
    handler: options.handler,
    retry: Object.freeze(retry),
    timeout: options.timeout ?? null,
    priority: options.priority ?? 0,
    concurrency: options.concurrency ?? null,
    uniqueKey: options.uniqueKey ?? null,
  });
}

/**
 * Tells whether a value is a job definition from {@linkcode defineJob}, e.g.
 * the default export of a file under `jobs/`.
 *
 * @param value Anything.
 * @returns `true` for a job definition.
 */
export function isJobDefinition(value: unknown): value is JobDefinition {
  return typeof value === "object" && value !== null &&
    (value as { kind?: unknown }).kind === "job" &&
    typeof (value as { handler?: unknown }).handler === "function";
}

function _integer(
  field: string,
  value: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): string[] {
  if (Number.isInteger(value) && value >= min && value <= max) return [];
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return [`${field} must be an integer ${range} (got ${JSON.stringify(value)})`];
}
