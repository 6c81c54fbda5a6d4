import { isNetScriptError } from "@netscript/contracts/errors";
import {
  createJobClient,
  type InputIssue,
  type JobDefinition,
  type JobQueue,
  type JobRecord,
  type WorkersCoreErrorCode,
} from "@netscript/plugin-workers-core";
import { createService, type Guard, implement, type Service } from "@netscript/service";
import type { Logger } from "@netscript/telemetry";
import type { z } from "zod";
import { type JobSchema, workersContract } from "../../contracts/v1/mod.ts";

/** Options of {@linkcode createWorkersService}. */
export interface WorkersServiceOptions {
  /** The job store. */
  readonly queue: JobQueue;
  /** The workspace's job definitions, to validate what is enqueued. */
  readonly jobs: readonly JobDefinition[];
  /**
   * The logger for request lines and failures (where a store error's
   * address is written).
   * @default {a JSON logger for the service "workers-api"}
   */
  readonly logger?: Logger | undefined;
  /**
   * Who may call it (see `createService`'s `guard`).
   * @default {a guard over auth-api when the workspace has the auth plugin}
   */
  readonly guard?: Guard | null | undefined;
}

/**
 * Creates `workers-api`: the NetScript service that implements
 * {@linkcode workersContract} on a job store. While the store cannot be
 * reached, `/health` and every procedure answer 503 (`SERVICE_UNAVAILABLE`
 * with `dependency: "job store"` for procedures): the store adapters raise
 * `STORE_UNAVAILABLE` or `SCHEMA_MISSING`, which `@netscript/service`
 * answers that way for every service.
 *
 * @param options The store, the job definitions and a logger.
 * @returns The service; call `serve()`.
 *
 * @example
 * ```ts
 * import { defineJob } from "@netscript/plugin-workers-core";
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { createWorkersService } from "@netscript/plugin-workers";
 * import { z } from "zod";
 *
 * const hello = defineJob({ name: "hello", input: z.string(), handler: () => {} });
 * const service = createWorkersService({ queue: new MemoryJobQueue(), jobs: [hello] });
 * const response = await service.fetch(new Request("http://localhost/api/stats"));
 * console.log(response.status); // 200
 * ```
 */
export function createWorkersService(options: WorkersServiceOptions): Service {
  const { queue } = options;
  const client = createJobClient({ queue, jobs: options.jobs });
  const os = implement(workersContract);

  const found = async (id: string, notFound: (id: string) => Error): Promise<JobRecord> => {
    const job = await queue.get(id);
    if (job === null) throw notFound(id);
    return job;
  };

  /**
   * Applies a state change to a job and returns it as it is now: a 404 when
   * the job does not exist, a 409 saying why when its state does not allow it.
   */
  const changeState = async (
    id: string,
    resource: string,
    errors: StateErrors,
    change: (job: JobRecord) => Promise<boolean>,
    refusal: (job: JobRecord) => string,
  ) => {
    const job = await found(id, (id) => errors.NOT_FOUND({ data: { resource, id } }));
    if (!(await change(job))) {
      throw errors.CONFLICT({
        message: refusal(job),
        data: { resource: "job", field: "state" },
      });
    }
    return toJson((await queue.get(job.id))!);
  };

  const router = os.router({
    jobs: {
      enqueue: os.jobs.enqueue.handler(async ({ input, errors }) => {
        try {
          return await client.enqueue(input.name, input.input, {
            ...(input.runAt !== undefined ? { runAt: new Date(input.runAt) } : {}),
            ...(input.priority !== undefined ? { priority: input.priority } : {}),
            ...(input.uniqueKey !== undefined ? { uniqueKey: input.uniqueKey } : {}),
          });
        } catch (error) {
          if (isNetScriptError<WorkersCoreErrorCode>(error, "WORKERS_UNKNOWN_JOB")) {
            throw errors.UNKNOWN_JOB({
              message: error.message,
              data: { job: input.name, known: [...client.jobs.keys()] },
            });
          }
          if (isNetScriptError<WorkersCoreErrorCode>(error, "WORKERS_INPUT_TOO_LARGE")) {
            throw errors.BAD_REQUEST({
              message: error.message,
              data: { issues: [{ path: ["input"], message: error.message }] },
            });
          }
          if (isNetScriptError<WorkersCoreErrorCode>(error, "WORKERS_INVALID_INPUT")) {
            const issues = error.details.issues as readonly InputIssue[];
            throw errors.BAD_REQUEST({
              message: error.message,
              data: {
                issues: issues.map((i) => ({ path: ["input", ...i.path], message: i.message })),
              },
            });
          }
          throw error;
        }
      }),
      get: os.jobs.get.handler(async ({ input, errors }) =>
        toJson(
          await found(input.id, (id) => errors.NOT_FOUND({ data: { resource: "job", id } })),
        )
      ),
      list: os.jobs.list.handler(async ({ input }) => {
        const page = await queue.list(input);
        return { ...page, items: page.items.map(toJson), limit: input.limit, offset: input.offset };
      }),
      cancel: os.jobs.cancel.handler(({ input, errors }) =>
        changeState(
          input.id,
          "job",
          errors,
          (job) => queue.cancel(job.id),
          (job) =>
            `Job ${job.id} is ${job.state}; only a queued, scheduled or failed job can be cancelled`,
        )
      ),
      retry: os.jobs.retry.handler(({ input, errors }) =>
        changeState(
          input.id,
          "job",
          errors,
          (job) => queue.retry(job.id),
          (job) =>
            `Job ${job.id} is ${job.state}; only a failed, dead or cancelled job can be retried`,
        )
      ),
    },
    deadLetters: {
      list: os.deadLetters.list.handler(async ({ input }) => {
        const page = await queue.list({ ...input, state: "dead" });
        return { ...page, items: page.items.map(toJson), limit: input.limit, offset: input.offset };
      }),
      redrive: os.deadLetters.redrive.handler(({ input, errors }) =>
        changeState(
          input.id,
          "dead letter",
          errors,
          async (job) => job.state === "dead" && await queue.retry(job.id),
          (job) => `Job ${job.id} is ${job.state}, not dead; only dead letters can be redriven`,
        )
      ),
    },
    stats: os.stats.handler(() => queue.stats()),
  });

  return createService({
    name: "workers-api",
    version: "1.0.0",
    description:
      "Enqueue, inspect, cancel and retry background jobs; list and redrive dead letters.",
    contract: workersContract,
    router,
    currentVersion: "v1",
    healthChecks: { store: async () => void (await queue.stats()) },
    ...(options.guard === undefined ? {} : { guard: options.guard }),
    defaultAccess: "all",
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/** The two errors a state change can answer with. */
interface StateErrors {
  NOT_FOUND(options: { data: { resource: string; id: string } }): Error;
  CONFLICT(options: { message: string; data: { resource: string; field: string } }): Error;
}

/** A job record as the contract's JSON. */
function toJson(job: JobRecord): z.output<typeof JobSchema> {
  return {
    id: job.id,
    name: job.name,
    input: job.input,
    state: job.state,
    priority: job.priority,
    runAt: job.runAt.toISOString(),
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    uniqueKey: job.uniqueKey,
    lastError: job.lastError,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
