import {
  createJobClient,
  createScheduler,
  createWorker,
  type JobClient,
  type JobDefinition,
  type ScheduleDefinition,
} from "@netscript/plugin-workers-core";
import { createLogger, type Logger, type LogLevel } from "@netscript/telemetry";
import { createWorkersService } from "../service/workers_service.ts";
import { loadDefinitions, type WorkspaceDefinitions } from "./definitions.ts";
import { type JobStore, openJobStore } from "./store.ts";

/** Resolves on the first SIGINT or SIGTERM. */
function _signalled(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}

/**
 * How long a stopping worker lets running jobs finish before giving them
 * back: below `netscript dev`'s 5 s between SIGTERM and SIGKILL, so jobs are
 * handed back rather than killed mid-attempt.
 */
const SHUTDOWN_GRACE_MS = 3_000;

/**
 * The processors' log level: `WORKERS_LOG_LEVEL` (`debug` shows a line per
 * completed job), `info` by default.
 */
function _logLevel(): LogLevel {
  const level = Deno.env.get("WORKERS_LOG_LEVEL");
  return level === "debug" || level === "warn" || level === "error" ? level : "info";
}

function _concurrency(): number {
  const value = Number(Deno.env.get("WORKER_CONCURRENCY") ?? 1);
  return Number.isInteger(value) && value > 0 ? value : 1;
}

async function _open(logger: Logger): Promise<JobStore> {
  const store = await openJobStore();
  logger.info("job store open", { store: store.kind, location: store.location });
  return store;
}

/** What a processor runs: started together, stopped together. */
interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Opens the store, starts the parts a processor is made of, and stops them
 * on the first SIGINT or SIGTERM, then closes the store.
 */
async function _runProcessor(
  service: string,
  definitions: WorkspaceDefinitions,
  parts: (
    context: { store: JobStore; logger: Logger } & ReturnType<typeof loadDefinitions>,
  ) => Runnable[],
): Promise<void> {
  const logger = createLogger({ service, level: _logLevel() });
  const loaded = loadDefinitions(definitions);
  const store = await _open(logger);
  const runnables = parts({ store, logger, ...loaded });
  const running = Promise.all(runnables.map((r) => r.start()));
  await Promise.race([_signalled(), running]);
  await Promise.all(runnables.map((r) => r.stop()));
  await running;
  await store.queue.close();
}

function _worker(
  { store, logger, jobs }: { store: JobStore; logger: Logger; jobs: JobDefinition[] },
): Runnable {
  return createWorker({
    queue: store.queue,
    jobs,
    concurrency: _concurrency(),
    shutdownGraceMs: SHUTDOWN_GRACE_MS,
    logger,
  });
}

function _scheduler(
  { store, logger, jobs, schedules }: {
    store: JobStore;
    logger: Logger;
    jobs: JobDefinition[];
    schedules: ScheduleDefinition[];
  },
): Runnable {
  return createScheduler({
    store: store.queue,
    client: createJobClient({ queue: store.queue, jobs }),
    schedules,
    logger,
  });
}

/**
 * The `workers-worker` process: runs the workspace's jobs with
 * `WORKER_CONCURRENCY` at once until SIGINT or SIGTERM, then finishes or
 * gives back what runs.
 *
 * @param definitions `jobs` from `.netscript/definitions.ts`.
 */
export function runWorkerProcess(definitions: WorkspaceDefinitions): Promise<void> {
  return _runProcessor("workers-worker", definitions, (context) => [_worker(context)]);
}

/**
 * The `workers-scheduler` process: fires the workspace's schedules until
 * SIGINT or SIGTERM.
 *
 * @param definitions `jobs` and `schedules` from `.netscript/definitions.ts`.
 */
export function runSchedulerProcess(definitions: WorkspaceDefinitions): Promise<void> {
  return _runProcessor("workers-scheduler", definitions, (context) => [_scheduler(context)]);
}

/**
 * The `workers-combined` process: a worker and a scheduler in one process,
 * for small deployments.
 *
 * @param definitions `jobs` and `schedules` from `.netscript/definitions.ts`.
 */
export function runCombinedProcess(definitions: WorkspaceDefinitions): Promise<void> {
  return _runProcessor(
    "workers-combined",
    definitions,
    (context) => [_worker(context), _scheduler(context)],
  );
}

/**
 * The `workers-api` process: serves the API on `PORT` (8091 by default)
 * until SIGINT or SIGTERM.
 *
 * @param definitions `jobs` from `.netscript/definitions.ts`.
 */
export async function serveWorkersApi(definitions: WorkspaceDefinitions): Promise<void> {
  const logger = createLogger({ service: "workers-api" });
  const { jobs } = loadDefinitions(definitions);
  const store = await _open(logger);
  const running = createWorkersService({ queue: store.queue, jobs }).serve({
    port: Number(Deno.env.get("PORT") ?? 8091),
    onShutdown: () => store.queue.close(),
  });
  await running.finished;
}

/**
 * Opens the job store the environment selects and returns a client that
 * enqueues the workspace's jobs, for the app's own services.
 *
 * @param definitions `jobs` from `.netscript/definitions.ts`.
 * @returns The client, and a function that closes the store.
 *
 * @example
 * ```ts ignore
 * import { openWorkersClient } from "@netscript/plugin-workers";
 * import { jobs } from "../../.netscript/definitions.ts";
 *
 * const workers = await openWorkersClient({ jobs });
 * await workers.client.enqueue("send-welcome-email", { to: "ada@example.com" });
 * ```
 */
export async function openWorkersClient(
  definitions: WorkspaceDefinitions,
): Promise<{ client: JobClient; store: JobStore; close(): Promise<void> }> {
  const { jobs } = loadDefinitions(definitions);
  const store = await openJobStore();
  return {
    client: createJobClient({ queue: store.queue, jobs }),
    store,
    close: () => store.queue.close(),
  };
}
