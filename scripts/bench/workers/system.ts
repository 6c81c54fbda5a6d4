/**
 * What the benchmark needs from each job system, and the list of systems it
 * compares. Every system runs in child processes: one producer (enqueues,
 * reads the store's counts) and one or more workers. A system module
 * implements {@linkcode BenchSystem} and calls `runBenchChild` from
 * `child.ts` when it is the main module.
 *
 * @module
 */

/** The name every benchmark job is enqueued under, in every system. */
export const JOB_NAME = "bench-noop";

/**
 * The payload of every benchmark job: `i` numbers the job (0 … N-1 for the
 * drain, N … N+L-1 for the latency phase); `at` is when the latency phase
 * called enqueue, on the producer's clock (see {@linkcode clockMs}).
 */
export interface JobPayload {
  /** The job's number. */
  i: number;
  /** When enqueue was called, in ms since the epoch with sub-ms precision; latency jobs only. */
  at?: number | undefined;
}

/** Where a system keeps its jobs: a fresh Postgres database, or a Deno KV file. */
export interface StoreTarget {
  /** A database URL, or a KV file path. */
  location: string;
}

/** How many jobs the store holds, by state, as the system names its states. */
export interface StoreCounts {
  /** Jobs that finished successfully. */
  completed: number;
  /** Every other state with at least one job. */
  other: Record<string, number>;
}

/** The producer side of a system, in the producer child. */
export interface Producer {
  /** Creates the system's schema or queue, when it has one to create. */
  setup(): Promise<void>;
  /** Enqueues the payloads with the system's bulk API, in one call. */
  enqueueMany(payloads: readonly JobPayload[]): Promise<void>;
  /** Enqueues one payload with the system's ordinary single-job API. */
  enqueueOne(payload: JobPayload): Promise<void>;
  /** Reads how many jobs the store holds in each state. */
  counts(): Promise<StoreCounts>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A worker of a system, in a worker child. */
export interface RunningWorker {
  /** Counters the system module keeps about its own calls, for profiling; may be empty. */
  counters(): Record<string, number>;
  /** Stops gracefully: running jobs finish, then connections close. */
  stop(): Promise<void>;
}

/** A worker that is connected but does not claim jobs yet. */
export interface PreparedWorker {
  /** Starts claiming and running jobs. */
  start(): Promise<RunningWorker>;
}

/** One job system, as its child processes drive it. */
export interface BenchSystem {
  /** Opens the producer side. */
  producer(target: StoreTarget, variant: string): Promise<Producer>;
  /**
   * Prepares a worker that calls `handle` at the start of every job, with
   * the job's payload, and runs up to `concurrency` jobs at once.
   */
  worker(
    target: StoreTarget,
    variant: string,
    concurrency: number,
    handle: (payload: JobPayload) => void,
  ): Promise<PreparedWorker>;
}

/** The kind of store a system needs. */
export type StoreKind = "postgres" | "netscript-postgres" | "kv" | "redis";

/** One row of the comparison: a system module with one set of settings. */
export interface SystemSpec {
  /** The key for `--systems`. */
  id: string;
  /** The row label. */
  label: string;
  /** The system module, run as each child's main module. */
  module: URL;
  /** Passed to the module as `--variant`, to pick its settings. */
  variant: string;
  /** The store it runs on. */
  store: StoreKind;
  /**
   * Whether its children run with the benchmarks' own lockfile: peers are
   * benchmark-only npm packages (see `../bench_packages.ts`) that stay out
   * of the workspace's `deno.lock`.
   */
  benchLock: boolean;
  /** The settings used, in words, for the report. */
  settings: string;
}

/** The graphile-worker row the targets compare against. */
export const BASELINE_ID = "graphile-worker";

/** The graphile-worker row with its batching, which claiming ahead compares against. */
export const BATCHED_BASELINE_ID = "graphile-worker-batched";

/** How many jobs the claiming-ahead rows claim ahead: graphile-worker batched's local queue. */
export const CLAIM_AHEAD = 500;

const systemModule = (name: string) => new URL(`./systems/${name}.ts`, import.meta.url);

/**
 * Every system, in measuring order. Each uses the same total concurrency;
 * peers use their own recommended fast paths for enqueueing (bulk add) and,
 * in the `-batched` row, for claiming.
 */
export const SYSTEMS: readonly SystemSpec[] = [
  {
    id: "netscript-postgres",
    label: "NetScript workers, Postgres",
    module: systemModule("netscript_postgres"),
    variant: "default",
    store: "netscript-postgres",
    benchLock: false,
    settings:
      "createWorker defaults (leaseMs 30000, pollMs 1000, a debug-level log line per job, so none at the default level); createPostgresJobQueue defaults (pool 10 + 1 LISTEN); bulk: JobClient.prepare + queue.enqueueMany",
  },
  {
    id: "netscript-postgres-claim-ahead",
    label: "NetScript workers, Postgres, claiming ahead",
    module: systemModule("netscript_postgres"),
    variant: "claim-ahead",
    store: "netscript-postgres",
    benchLock: false,
    settings:
      `as "NetScript workers, Postgres", with createWorker's claimAhead ${CLAIM_AHEAD} (graphile-worker batched's local queue size)`,
  },
  {
    id: BASELINE_ID,
    label: "graphile-worker 0.18.0",
    module: systemModule("graphile_worker"),
    variant: "default",
    store: "postgres",
    benchLock: true,
    settings:
      "run() defaults (maxPoolSize 10, no local queue, no completion batching, log line per job); bulk: workerUtils.addJobs",
  },
  {
    id: BATCHED_BASELINE_ID,
    label: "graphile-worker 0.18.0, batched",
    module: systemModule("graphile_worker"),
    variant: "batched",
    store: "postgres",
    benchLock: true,
    settings:
      "its performance page's batching: localQueue.size 500, completeJobBatchDelay 0, failJobBatchDelay 0; otherwise its defaults as in the row above",
  },
  {
    id: "pg-boss",
    label: "pg-boss 12.35.0",
    module: systemModule("pg_boss"),
    variant: "default",
    store: "postgres",
    benchLock: true,
    settings:
      "useListenNotify + queue notify: true; work(): localConcurrency = concurrency, batchSize 10, burstWhenBatchFull; bulk: insert()",
  },
  {
    id: "netscript-kv",
    label: "NetScript workers, Deno KV",
    module: systemModule("netscript_kv"),
    variant: "default",
    store: "kv",
    benchLock: false,
    settings:
      "createWorker defaults; openKvJobQueue on a KV file in a temp dir; bulk: JobClient.prepare + queue.enqueueMany",
  },
  {
    id: "netscript-redis",
    label: "NetScript workers, Redis",
    module: systemModule("netscript_redis"),
    variant: "default",
    store: "redis",
    benchLock: false,
    settings:
      "createWorker defaults; createRedisJobQueue defaults (1 connection + 1 subscriber) on an empty logical database; bulk: JobClient.prepare + queue.enqueueMany",
  },
  {
    id: "netscript-redis-claim-ahead",
    label: "NetScript workers, Redis, claiming ahead",
    module: systemModule("netscript_redis"),
    variant: "claim-ahead",
    store: "redis",
    benchLock: false,
    settings: `as "NetScript workers, Redis", with createWorker's claimAhead ${CLAIM_AHEAD}`,
  },
  {
    id: "bullmq",
    label: "BullMQ 6.7.0",
    module: systemModule("bullmq"),
    variant: "default",
    store: "redis",
    benchLock: true,
    settings:
      "one Worker per process, concurrency = concurrency, its defaults otherwise (drainDelay 5 s, lockDuration 30000, stalledInterval 30000, maxStalledCount 1; autorun off so it starts on cue); no job options, so completed jobs are kept; ioredis 6.0.0 clients on an empty logical database, the worker's with maxRetriesPerRequest null; bulk: Queue.addBulk",
  },
];

/**
 * The current time in milliseconds since the epoch, with sub-millisecond
 * precision: the process's time origin plus its monotonic clock. Processes
 * on one machine agree on it to well under a millisecond; the benchmark
 * measures and removes the remaining offset of each child.
 *
 * @returns The time.
 */
export function clockMs(): number {
  return performance.timeOrigin + performance.now();
}
