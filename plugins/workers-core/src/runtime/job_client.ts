import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import { injectTraceContext } from "@netscript/telemetry";
import type { z } from "zod";
import type { JobDefinition } from "../dsl/define_job.ts";
import { type JobList, type JobsOf, jobsOf } from "../dsl/job_list.ts";
import type { Enqueued, JobQueue, NewJob } from "../ports/job_queue.ts";
import { unstorableTextPaths } from "../ports/job_limits.ts";
import type { WorkersCoreErrorCode } from "../workers_error_codes.ts";

/** Per-call options of {@linkcode JobClient.enqueue}. */
export interface EnqueueOptions {
  /** Run no earlier than this. @default {now} */
  readonly runAt?: Date | undefined;
  /** Overrides the job's default priority. */
  readonly priority?: number | undefined;
  /** Overrides the key the job's `uniqueKey` function gives. */
  readonly uniqueKey?: string | undefined;
  /**
   * Enqueues at most once per this key, for good ({@linkcode JobQueue.enqueueOnce}):
   * a later enqueue with the same key adds nothing and returns the job the
   * first one added, even after that job finished. Use it to start a job
   * exactly once per event when the caller may die between enqueueing and
   * recording that it did. Ignored by `prepare`.
   */
  readonly onceKey?: string | undefined;
}

/**
 * The arguments of {@linkcode JobClient.enqueue} and
 * {@linkcode JobClient.prepare} for the jobs a client knows: a job's name or
 * definition, then an input of that job's `z.input` type, then options. For
 * `JobDefinition` itself (any job), any name and any input.
 *
 * @template TJobs The jobs, as a union of their definitions.
 */
export type EnqueueArgs<TJobs extends JobDefinition> =
  | (TJobs extends unknown ?
      | [job: TJobs["name"], input: z.input<TJobs["input"]>, options?: EnqueueOptions]
      | [job: TJobs, input: z.input<TJobs["input"]>, options?: EnqueueOptions]
    : never)
  | (string extends TJobs["name"]
    ? [job: string | JobDefinition, input: unknown, options?: EnqueueOptions]
    : never);

/**
 * Enqueues jobs by name, validating their input first. Typed by the jobs
 * it was made with: `enqueue("greet", input)` accepts only a known name,
 * and an input of that job's type. A typed client is assignable to
 * `JobClient` (any job).
 *
 * @template TJobs The jobs it knows, as a union of their definitions.
 */
export interface JobClient<TJobs extends JobDefinition = JobDefinition> {
  /**
   * Validates the input against the job's schema and enqueues it, carrying
   * the active trace so the job's span continues it.
   *
   * With an `onceKey` it calls {@linkcode JobQueue.enqueueOnce} instead of
   * {@linkcode JobQueue.enqueue}.
   *
   * @param args The job's name or definition, its input, and {@linkcode EnqueueOptions}.
   * @returns The job's id, and whether no job was added (an unfinished job
   * with its `uniqueKey` existed, or its `onceKey` was already used).
   * @throws {NetScriptError} `WORKERS_UNKNOWN_JOB`, `WORKERS_INVALID_INPUT`.
   * @throws {RangeError} When the `onceKey` is not valid (`checkOnceKey`).
   */
  enqueue(...args: EnqueueArgs<TJobs>): Promise<Enqueued>;
  /**
   * Turns a name and input into the job the queue stores, validating it,
   * without enqueueing: for adapters that enqueue inside the caller's own
   * transaction.
   *
   * @param args The job's name or definition, its input, and {@linkcode EnqueueOptions}.
   * @returns The job to store.
   * @throws {NetScriptError} `WORKERS_UNKNOWN_JOB`, `WORKERS_INVALID_INPUT`.
   */
  prepare(...args: EnqueueArgs<TJobs>): NewJob;
  /** The job definitions this client knows, by name. */
  readonly jobs: ReadonlyMap<string, TJobs>;
}

/**
 * Options of {@linkcode createJobClient}.
 *
 * @template TList The jobs, as definitions or as definition files.
 */
export interface JobClientOptions<TList extends JobList = JobList> {
  /** The store jobs are enqueued in. */
  readonly queue: JobQueue;
  /**
   * The jobs it may enqueue: `defineJob(…)` definitions, or the `jobs`
   * list of a generated definitions module (`{ file, definition }`
   * entries). Their names and input types type the client.
   */
  readonly jobs: TList;
}

/** One validation problem of a job's input. */
export interface InputIssue {
  /** Where, e.g. `["to"]` or `["items", 0, "sku"]`; empty for the input itself. */
  readonly path: readonly (string | number)[];
  /** What is wrong. */
  readonly message: string;
}

/**
 * Creates the client that enqueues jobs: it knows the workspace's job
 * definitions, validates input with each job's schema (so nothing invalid
 * is ever stored), applies the job's priority, attempts and `uniqueKey`,
 * and records the caller's trace.
 *
 * The client is typed by the jobs it is given: an unknown name, or an input
 * that is not the job's `z.input` type, is a compile error, before the
 * same checks at run time.
 *
 * @param options The queue and the job definitions (or definition files).
 * @returns The client.
 * @throws {NetScriptError} `WORKERS_DUPLICATE_JOB` when two definitions share a name.
 * @throws {TypeError} When an entry of `jobs` is not a job definition ({@linkcode jobsOf}).
 *
 * @example
 * ```ts
 * import { createJobClient, defineJob } from "@netscript/plugin-workers-core";
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { z } from "zod";
 *
 * const greet = defineJob({ name: "greet", input: z.object({ name: z.string() }), handler: () => {} });
 * const client = createJobClient({ queue: new MemoryJobQueue(), jobs: [greet] });
 * const { id } = await client.enqueue("greet", { name: "Ada" });
 * // client.enqueue("greet", { name: 42 }) and client.enqueue("gret", …) do not compile
 * console.log(typeof id); // "string"
 * ```
 */
export function createJobClient<TList extends JobList>(
  options: JobClientOptions<TList>,
): JobClient<JobsOf<TList>> {
  const jobs: ReadonlyMap<string, JobDefinition> = jobsByName<JobList>(options.jobs);
  const prepare = (
    job: string | JobDefinition,
    input: unknown,
    overrides: EnqueueOptions = {},
  ): NewJob => {
    const name = typeof job === "string" ? job : job.name;
    const definition = jobs.get(name);
    if (definition === undefined) {
      throw new NetScriptError<WorkersCoreErrorCode>(
        "WORKERS_UNKNOWN_JOB",
        `No job named ${JSON.stringify(name)}; the workspace defines ${
          [...jobs.keys()].map((n) => JSON.stringify(n)).join(", ") || "no jobs"
        } (one export default defineJob(…) per file under jobs/)`,
        { details: { job: name, known: [...jobs.keys()] } },
      );
    }
    const parsed = definition.input.safeParse(input);
    const problems = parsed.success ? _unstorableText(parsed.data) : parsed.error.issues;
    if (!parsed.success || problems.length > 0) {
      const formatted = formatIssues(problems, { root: "(input)" });
      const issues: InputIssue[] = problems.map((issue, i) => ({
        path: issue.path.map((p) => typeof p === "number" ? p : String(p)),
        message: formatted[i]!.message,
      }));
      throw new NetScriptError<WorkersCoreErrorCode>(
        "WORKERS_INVALID_INPUT",
        `Invalid input for job ${JSON.stringify(name)}: ${
          formatted.map((issue) => `${issue.path} ${issue.message}`).join("; ")
        }`,
        { details: { job: name, issues } },
      );
    }
    const headers = injectTraceContext(new Headers());
    const uniqueKey = overrides.uniqueKey ?? definition.uniqueKey?.(parsed.data);
    return {
      name,
      input: parsed.data,
      priority: overrides.priority ?? definition.priority,
      maxAttempts: definition.retry.attempts,
      ...(overrides.runAt !== undefined ? { runAt: overrides.runAt } : {}),
      ...(uniqueKey !== undefined ? { uniqueKey } : {}),
      ...(headers.has("traceparent") ? { traceparent: headers.get("traceparent")! } : {}),
    };
  };
  return {
    jobs: jobs as ReadonlyMap<string, JobsOf<TList>>,
    prepare: (...[job, input, overrides]: EnqueueArgs<JobDefinition>) =>
      prepare(job, input, overrides),
    enqueue: async (...[job, input, overrides]: EnqueueArgs<JobDefinition>) => {
      const prepared = prepare(job, input, overrides);
      const onceKey = overrides?.onceKey;
      return onceKey === undefined
        ? await options.queue.enqueue(prepared)
        : await options.queue.enqueueOnce(onceKey, prepared);
    },
  };
}

/** The strings of a valid input that no job store can keep, as issues. */
function _unstorableText(input: unknown): { path: (string | number)[]; message: string }[] {
  return unstorableTextPaths(input).map((path) => ({
    path,
    message: "holds a NUL character or a lone surrogate, which no job store can keep",
  }));
}

/**
 * Indexes job definitions by name.
 *
 * @param list The definitions, or definition files ({@linkcode JobList}).
 * @returns The map.
 * @throws {NetScriptError} `WORKERS_DUPLICATE_JOB` when two share a name.
 * @throws {TypeError} When an entry is not a job definition ({@linkcode jobsOf}).
 *
 * @example
 * ```ts
 * import { defineJob, jobsByName } from "@netscript/plugin-workers-core";
 * import { z } from "zod";
 *
 * const greet = defineJob({ name: "greet", input: z.string(), handler: () => {} });
 * console.log([...jobsByName([greet]).keys()]); // ["greet"]
 * ```
 */
export function jobsByName<TList extends JobList>(
  list: TList,
): ReadonlyMap<string, JobsOf<TList>> {
  const jobs = new Map<string, JobDefinition>();
  for (const definition of jobsOf<JobList>(list)) {
    if (jobs.has(definition.name)) {
      throw new NetScriptError<WorkersCoreErrorCode>(
        "WORKERS_DUPLICATE_JOB",
        `Two jobs are named ${JSON.stringify(definition.name)}; job names must be unique`,
        { details: { job: definition.name } },
      );
    }
    jobs.set(definition.name, definition);
  }
  return jobs as Map<string, JobsOf<TList>>;
}
