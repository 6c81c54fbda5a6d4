/**
 * The graphile-worker rows: `run()` with a task list, and `makeWorkerUtils`
 * for the schema (`migrate`), bulk enqueue (`addJobs`), single enqueue
 * (`addJob`) and counts. Variant `batched` turns on the batching its
 * performance page uses (a local queue of 500 jobs, completions and
 * failures batched with a 0 ms delay). Run by the benchmark as a child
 * process (see `../child.ts`), with the benchmarks' lockfile: the package
 * is a benchmark-only dependency (see `../../bench_packages.ts`).
 *
 * @module
 */
import { GRAPHILE_WORKER, loadBenchPackage } from "../../bench_packages.ts";
import { runBenchChild } from "../child.ts";
import { type BenchSystem, JOB_NAME, type JobPayload } from "../system.ts";

/** The subset of graphile-worker's `WorkerUtils` used here. */
interface WorkerUtils {
  migrate(): Promise<void>;
  addJobs(jobs: { identifier: string; payload: JobPayload }[]): Promise<unknown>;
  addJob(identifier: string, payload: JobPayload): Promise<unknown>;
  withPgClient<T>(
    callback: (client: { query<R>(sql: string): Promise<{ rows: R[] }> }) => Promise<T>,
  ): Promise<T>;
  release(): Promise<void>;
}

/** The subset of graphile-worker's exports used here. */
interface GraphileWorker {
  makeWorkerUtils(options: { connectionString: string }): Promise<WorkerUtils>;
  run(options: {
    connectionString: string;
    concurrency: number;
    noHandleSignals: boolean;
    taskList: Record<string, (payload: unknown) => void>;
    preset?: { worker: typeof BATCHED };
  }): Promise<{ stop(): Promise<void> }>;
}

const { makeWorkerUtils, run } = await loadBenchPackage<GraphileWorker>(GRAPHILE_WORKER);

/** Graphile-worker's batching options, from its performance page. */
const BATCHED = { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 };

/** Graphile-worker, as the benchmark drives it. */
export const graphileWorker: BenchSystem = {
  async producer(target) {
    const utils = await makeWorkerUtils({ connectionString: target.location });
    let enqueued = 0;
    return {
      setup: () => utils.migrate(),
      async enqueueMany(payloads) {
        await utils.addJobs(payloads.map((payload) => ({ identifier: JOB_NAME, payload })));
        enqueued += payloads.length;
      },
      async enqueueOne(payload) {
        await utils.addJob(JOB_NAME, payload);
        enqueued++;
      },
      // Graphile-worker deletes a job when it completes: whatever is gone was completed.
      async counts() {
        const { rows: [row] } = await utils.withPgClient((client) =>
          client.query<{ left: number; failed: number }>(
            `SELECT count(*)::int AS left, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS failed
             FROM graphile_worker._private_jobs`,
          )
        );
        const other: Record<string, number> = {};
        if (row!.left > row!.failed) other.waiting = row!.left - row!.failed;
        if (row!.failed > 0) other.failed = row!.failed;
        return { completed: enqueued - row!.left, other };
      },
      close: async () => await utils.release(),
    };
  },
  worker(target, variant, concurrency, handle) {
    return Promise.resolve({
      async start() {
        const runner = await run({
          connectionString: target.location,
          concurrency,
          noHandleSignals: true,
          taskList: { [JOB_NAME]: (payload) => handle(payload as JobPayload) },
          ...(variant === "batched" ? { preset: { worker: BATCHED } } : {}),
        });
        return { counters: () => ({}), stop: () => runner.stop() };
      },
    });
  },
};

if (import.meta.main) await runBenchChild(graphileWorker);
