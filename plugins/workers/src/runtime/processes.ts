import type { PluginRuntime } from "@netscript/plugin";
import {
  createJobClient,
  createScheduler,
  createWorker,
  DEFAULT_WORKER_LIMITS,
  type JobClient,
  type JobDefinition,
  type JobList,
  type JobsOf,
  type ScheduleDefinition,
  type WorkerLimits,
} from "@netscript/plugin-workers-core";
import {
  type EnvReader,
  type PluginApiContext,
  processEnv,
  type ProcessorContext,
  type ProcessorPart,
  readIntegerSetting,
  runProcessor,
  servePluginApi,
} from "@netscript/runtime";
import { WORKERS_CONTRACT_VERSIONS } from "../manifest.ts";
import { createWorkersService } from "../service/workers_service.ts";
import { loadDefinitions, type WorkersDefinitions } from "./definitions.ts";
import { type JobStore, openJobStore } from "./store.ts";

/**
 * What every workers entrypoint is given: the plugin and its definitions,
 * both from the generated `.netscript/definitions/workers.ts`.
 *
 * @template TJobs The job files, with each file's job type.
 */
export interface WorkersProcessOptions<TJobs extends JobList = JobList> {
  /** The plugin (`plugin` of the generated module): names, prefix, topics. */
  readonly plugin: PluginRuntime;
  /** The definitions (`definitions` of the generated module). */
  readonly definitions: WorkersDefinitions<TJobs>;
}

/**
 * The `workers` config topic a running worker follows. Each field is
 * optional; a field left out falls back to the process's default.
 */
export interface WorkersConfig {
  /** Jobs one worker process runs at once, 1–1000 (default: `WORKER_CONCURRENCY`). */
  readonly concurrency?: number | undefined;
  /** The longest wait for work between claims, 10–60000 ms (default 1000). */
  readonly pollMs?: number | undefined;
  /** How long a claimed job stays leased without a heartbeat, 1000–3600000 ms (default 30000). */
  readonly leaseMs?: number | undefined;
  /**
   * Jobs claimed ahead of a free slot and kept leased, 0–10000 (default:
   * `WORKER_CLAIM_AHEAD`, else 0, off); see `createWorker`'s `claimAhead`.
   */
  readonly claimAhead?: number | undefined;
}

/** The name of the workers' config topic. */
const CONFIG_TOPIC = "workers";

/** Opens the job store for a process and closes it once the process has stopped. */
async function _openStore(
  context: Pick<ProcessorContext, "plugin" | "env" | "logger" | "onClose">,
): Promise<JobStore> {
  const store = await openJobStore(context.env, {
    prefix: context.plugin.envPrefix,
    logger: context.logger,
  });
  context.onClose(() => store.queue.close());
  context.logger.info("job store open", { store: store.kind, location: store.location });
  return store;
}

/** The most jobs a worker process claims ahead (`WORKER_CLAIM_AHEAD`, the topic's `claimAhead`). */
const MAX_CLAIM_AHEAD = 10_000;

/** The worker's limits for a config value: its fields, else the process's defaults. */
function _limits(
  context: ProcessorContext,
  config: WorkersConfig,
  claimAhead: number,
): Required<WorkerLimits> {
  return {
    concurrency: config.concurrency ?? context.settings.concurrency,
    pollMs: config.pollMs ?? DEFAULT_WORKER_LIMITS.pollMs,
    leaseMs: config.leaseMs ?? DEFAULT_WORKER_LIMITS.leaseMs,
    claimAhead: config.claimAhead ?? claimAhead,
  };
}

/**
 * A worker, and a watch of the `workers` config topic that applies each
 * new value to it while it runs. The worker starts with the value in force
 * (the defaults when the store cannot be read yet).
 */
async function _worker(
  context: ProcessorContext,
  store: JobStore,
  jobs: readonly JobDefinition[],
): Promise<ProcessorPart[]> {
  const { logger } = context;
  const claimAhead = readIntegerSetting("WORKER_CLAIM_AHEAD", {
    env: context.env,
    default: DEFAULT_WORKER_LIMITS.claimAhead,
    min: 0,
    max: MAX_CLAIM_AHEAD,
  });
  let applied = -1;
  let first: WorkersConfig = {};
  try {
    const snapshot = await (await context.config<WorkersConfig>(CONFIG_TOPIC)).get();
    first = snapshot.value;
    applied = snapshot.revision;
  } catch (error) {
    logger.warn(`config topic "${CONFIG_TOPIC}" cannot be read; the worker starts with defaults`, {
      error,
    });
  }
  const limits = _limits(context, first, claimAhead);
  const worker = createWorker({
    queue: store.queue,
    jobs,
    ...limits,
    shutdownGraceMs: context.settings.shutdownGraceMs,
    logger,
  });
  logger.info("worker limits", { topic: CONFIG_TOPIC, revision: applied, ...limits });
  const follow = context.watchConfig<WorkersConfig>(CONFIG_TOPIC, (config, revision) => {
    if (revision === applied) return;
    const next = _limits(context, config, claimAhead);
    worker.configure(next);
    applied = revision;
    logger.info("worker limits changed by the config topic", {
      topic: CONFIG_TOPIC,
      revision,
      ...next,
    });
  });
  return [worker, follow];
}

function _scheduler(
  context: ProcessorContext,
  store: JobStore,
  loaded: { jobs: readonly JobDefinition[]; schedules: readonly ScheduleDefinition[] },
): ProcessorPart {
  return createScheduler({
    store: store.queue,
    client: createJobClient({ queue: store.queue, jobs: loaded.jobs }),
    schedules: loaded.schedules,
    logger: context.logger,
  });
}

/**
 * The `workers-worker` process: runs the workspace's jobs until SIGINT or
 * SIGTERM, then finishes or gives back what runs (within 3 s). It runs
 * `WORKER_CONCURRENCY` jobs at once and claims `WORKER_CLAIM_AHEAD` jobs
 * ahead (default 0) unless the `workers` config topic says otherwise, and
 * follows the topic's `concurrency`, `pollMs`, `leaseMs` and `claimAhead`
 * while it runs (`netscript config set workers …`).
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/workers.ts`.
 * @returns Resolves once the worker has stopped.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` (`WORKER_CONCURRENCY`,
 * `WORKER_CLAIM_AHEAD`, `WORKERS_LOG_LEVEL`), `STORE_INVALID`, `STORE_UNAVAILABLE`,
 * `WORKERS_SCHEDULE_JOB_UNKNOWN`.
 *
 * @example
 * ```ts ignore
 * import { runWorkerProcess } from "@netscript/plugin-workers";
 * import { definitions, plugin } from "../../../.netscript/definitions/workers.ts";
 *
 * await runWorkerProcess({ plugin, definitions });
 * ```
 */
export function runWorkerProcess<TJobs extends JobList>(
  options: WorkersProcessOptions<TJobs>,
): Promise<void> {
  return runProcessor({
    plugin: options.plugin,
    resource: `${options.plugin.slug}-worker`,
    parts: async (context) => {
      const { jobs } = loadDefinitions({ jobs: options.definitions.jobs });
      return _worker(context, await _openStore(context), jobs);
    },
  });
}

/**
 * The `workers-scheduler` process: fires the workspace's schedules until
 * SIGINT or SIGTERM.
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/workers.ts`.
 * @returns Resolves once the scheduler has stopped.
 * @throws {NetScriptError} As {@linkcode runWorkerProcess}.
 *
 * @example
 * ```ts ignore
 * import { runSchedulerProcess } from "@netscript/plugin-workers";
 * import { definitions, plugin } from "../../../.netscript/definitions/workers.ts";
 *
 * await runSchedulerProcess({ plugin, definitions });
 * ```
 */
export function runSchedulerProcess<TJobs extends JobList>(
  options: WorkersProcessOptions<TJobs>,
): Promise<void> {
  return runProcessor({
    plugin: options.plugin,
    resource: `${options.plugin.slug}-scheduler`,
    parts: async (context) => {
      const loaded = loadDefinitions(options.definitions);
      return [_scheduler(context, await _openStore(context), loaded)];
    },
  });
}

/**
 * The `workers-combined` process: a worker (following the `workers` config
 * topic) and a scheduler in one process, for small deployments.
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/workers.ts`.
 * @returns Resolves once both have stopped.
 * @throws {NetScriptError} As {@linkcode runWorkerProcess}.
 *
 * @example
 * ```ts ignore
 * import { runCombinedProcess } from "@netscript/plugin-workers";
 * import { definitions, plugin } from "../../../.netscript/definitions/workers.ts";
 *
 * await runCombinedProcess({ plugin, definitions });
 * ```
 */
export function runCombinedProcess<TJobs extends JobList>(
  options: WorkersProcessOptions<TJobs>,
): Promise<void> {
  return runProcessor({
    plugin: options.plugin,
    resource: `${options.plugin.slug}-combined`,
    parts: async (context) => {
      const loaded = loadDefinitions(options.definitions);
      const store = await _openStore(context);
      return [...await _worker(context, store, loaded.jobs), _scheduler(context, store, loaded)];
    },
  });
}

/** The port `workers-api` listens on when `PORT` is unset. */
const DEFAULT_API_PORT = 8091;

/**
 * The `workers-api` process: serves the API on `PORT` (8091 by default)
 * until SIGINT or SIGTERM, then closes the store. A store that cannot be
 * reached is answered `503 SERVICE_UNAVAILABLE`.
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/workers.ts`.
 * @returns Resolves once the server has stopped.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` (`PORT`,
 * `WORKERS_LOG_LEVEL`), `STORE_INVALID`, `STORE_UNAVAILABLE`.
 *
 * @example
 * ```ts ignore
 * import { serveWorkersApi } from "@netscript/plugin-workers";
 * import { definitions, plugin } from "../../../../.netscript/definitions/workers.ts";
 *
 * await serveWorkersApi({ plugin, definitions });
 * ```
 */
export async function serveWorkersApi<TJobs extends JobList>(
  options: WorkersProcessOptions<TJobs>,
): Promise<void> {
  const running = await servePluginApi({
    plugin: options.plugin,
    resource: `${options.plugin.slug}-api`,
    defaultPort: DEFAULT_API_PORT,
    contractVersions: WORKERS_CONTRACT_VERSIONS,
    service: async (context: PluginApiContext) => {
      const { jobs } = loadDefinitions({ jobs: options.definitions.jobs });
      const store = await _openStore(context);
      return createWorkersService({ queue: store.queue, jobs, logger: context.logger });
    },
  });
  await running.finished;
}

/** What {@linkcode openWorkersClient} returns. */
export interface WorkersClient<TJob extends JobDefinition = JobDefinition> {
  /** Enqueues the workspace's jobs, typed by their definitions. */
  readonly client: JobClient<TJob>;
  /** The store the client writes to. */
  readonly store: JobStore;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the job store the environment selects and returns a client that
 * enqueues the workspace's jobs, for the app's own services. Each job's
 * name and input are typed from its file: a wrong payload does not compile.
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/workers.ts`,
 * and where to read variables.
 * @returns The client, the store, and a function that closes it.
 * @throws {NetScriptError} `STORE_INVALID`, `STORE_UNAVAILABLE`.
 *
 * @example
 * ```ts ignore
 * import { openWorkersClient } from "@netscript/plugin-workers";
 * import { definitions, plugin } from "../../.netscript/definitions/workers.ts";
 *
 * const workers = await openWorkersClient({ plugin, definitions });
 * await workers.client.enqueue("send-welcome-email", { to: "ada@example.com" });
 * await workers.close();
 * ```
 */
export async function openWorkersClient<TJobs extends JobList>(
  options: WorkersProcessOptions<TJobs> & { readonly env?: EnvReader | undefined },
): Promise<WorkersClient<JobsOf<TJobs>>> {
  loadDefinitions({ jobs: options.definitions.jobs });
  const store = await openJobStore(options.env ?? processEnv, {
    prefix: options.plugin.envPrefix,
  });
  return {
    client: createJobClient({ queue: store.queue, jobs: options.definitions.jobs }),
    store,
    close: () => store.queue.close(),
  };
}
