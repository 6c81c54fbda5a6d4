import { NetScriptError } from "@netscript/contracts/errors";
import { injectTraceContext } from "@netscript/telemetry";
import type { JobDefinition } from "../dsl/define_job.ts";
import type { Enqueued, JobQueue, NewJob } from "../ports/job_queue.ts";

/** Per-call options of {@linkcode JobClient.enqueue}. */
export interface EnqueueOptions {
  /** Run no earlier than this. @default {now} */
  readonly runAt?: Date | undefined;
  /** Overrides the job's default priority. */
  readonly priority?: number | undefined;
  /** Overrides the key the job's `uniqueKey` function gives. */
  readonly uniqueKey?: string | undefined;
}

/** Enqueues jobs by name, validating their input first. */
export interface JobClient {
  /**
   * Validates the input against the job's schema and enqueues it, carrying
   * the active trace so the job's span continues it.
   *
   * @throws {NetScriptError} `WORKERS_UNKNOWN_JOB`, `WORKERS_INVALID_INPUT`.
   */
  enqueue(job: string | JobDefinition, input: unknown, options?: EnqueueOptions): Promise<Enqueued>;
  /**
   * Turns a name and input into the job the queue stores, validating it,
   * without enqueueing: for adapters that enqueue inside the caller's own
   * transaction.
   *
   * @throws {NetScriptError} `WORKERS_UNKNOWN_JOB`, `WORKERS_INVALID_INPUT`.
   */
  prepare(job: string | JobDefinition, input: unknown, options?: EnqueueOptions): NewJob;
  /** The job definitions this client knows, by name. */
  readonly jobs: ReadonlyMap<string, JobDefinition>;
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
 * @param options The queue and the job definitions.
 * @returns The client.
 * @throws {NetScriptError} `WORKERS_DUPLICATE_JOB` when two definitions share a name.
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
 * console.log(typeof id); // "string"
 * ```
 */
export function createJobClient(
  options: { queue: JobQueue; jobs: readonly JobDefinition[] },
): JobClient {
  const jobs = jobsByName(options.jobs);
  const prepare = (
    job: string | JobDefinition,
    input: unknown,
    overrides: EnqueueOptions = {},
  ): NewJob => {
    const name = typeof job === "string" ? job : job.name;
    const definition = jobs.get(name);
    if (definition === undefined) {
      throw new NetScriptError(
        "WORKERS_UNKNOWN_JOB",
        `No job named ${JSON.stringify(name)}; the workspace defines ${
          [...jobs.keys()].map((n) => JSON.stringify(n)).join(", ") || "no jobs"
        } (one export default defineJob(…) per file under jobs/)`,
        { details: { job: name, known: [...jobs.keys()] } },
      );
    }
    const parsed = definition.input.safeParse(input);
    if (!parsed.success) {
      const issues: InputIssue[] = parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => typeof p === "number" ? p : String(p)),
        message: issue.message,
      }));
      throw new NetScriptError(
        "WORKERS_INVALID_INPUT",
        `Invalid input for job ${JSON.stringify(name)}: ${
          issues.map((i) => `${i.path.join(".") || "(input)"} ${i.message}`).join("; ")
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
    jobs,
    prepare,
    enqueue: async (job, input, overrides) =>
      await options.queue.enqueue(prepare(job, input, overrides)),
  };
}

/**
 * Indexes job definitions by name.
 *
 * @param definitions The definitions.
 * @returns The map.
 * @throws {NetScriptError} `WORKERS_DUPLICATE_JOB` when two share a name.
 */
export function jobsByName(
  definitions: readonly JobDefinition[],
): ReadonlyMap<string, JobDefinition> {
  const jobs = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    if (jobs.has(definition.name)) {
      throw new NetScriptError(
        "WORKERS_DUPLICATE_JOB",
        `Two jobs are named ${JSON.stringify(definition.name)}; job names must be unique`,
        { details: { job: definition.name } },
      );
    }
    jobs.set(definition.name, definition);
  }
  return jobs;
}
