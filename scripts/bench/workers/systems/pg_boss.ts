/**
 * The pg-boss row: LISTEN/NOTIFY on (`useListenNotify`, queue `notify`),
 * `work()` with `localConcurrency` set to the benchmark's concurrency,
 * batches of 10 and `burstWhenBatchFull` (without a batch, each pg-boss
 * worker waits out its polling interval after every job), bulk enqueue
 * with `insert()`, single enqueue with `send()`. Run by the benchmark as a
 * child process (see `../child.ts`), with the benchmarks' lockfile: the
 * package is a benchmark-only dependency (see `../../bench_packages.ts`).
 *
 * @module
 */
import pg from "pg";
import { loadBenchPackage, PG_BOSS } from "../../bench_packages.ts";
import { runBenchChild } from "../child.ts";
import { type BenchSystem, JOB_NAME, type JobPayload } from "../system.ts";

/** The subset of pg-boss's `PgBoss` used here. */
interface PgBoss {
  on(event: "error", listener: (error: Error) => void): void;
  start(): Promise<unknown>;
  stop(options: { graceful: boolean }): Promise<void>;
  createQueue(name: string, options: { notify: boolean }): Promise<void>;
  insert(name: string, jobs: { data: JobPayload }[]): Promise<unknown>;
  send(name: string, data: JobPayload): Promise<unknown>;
  work(
    name: string,
    options: { localConcurrency: number; batchSize: number; burstWhenBatchFull: boolean },
    handler: (jobs: { data: JobPayload }[]) => Promise<void>,
  ): Promise<string>;
}

const { PgBoss } = await loadBenchPackage<{
  PgBoss: new (options: { connectionString: string; useListenNotify: boolean }) => PgBoss;
}>(PG_BOSS);

/** Jobs each pg-boss worker fetches at once. */
const BATCH_SIZE = 10;

function _boss(url: string, listen: boolean): PgBoss {
  const boss = new PgBoss({ connectionString: url, useListenNotify: listen });
  boss.on("error", (error) => console.error("pg-boss error:", error));
  return boss;
}

/** pg-boss, as the benchmark drives it. */
export const pgBoss: BenchSystem = {
  producer(target) {
    const boss = _boss(target.location, false);
    return Promise.resolve({
      async setup() {
        await boss.start();
        await boss.createQueue(JOB_NAME, { notify: true });
      },
      async enqueueMany(payloads) {
        await boss.insert(JOB_NAME, payloads.map((data) => ({ data })));
      },
      async enqueueOne(payload) {
        await boss.send(JOB_NAME, payload);
      },
      async counts() {
        const client = new pg.Client({ connectionString: target.location });
        await client.connect();
        try {
          const { rows } = await client.query<{ state: string; count: number }>(
            "SELECT state, count(*)::int AS count FROM pgboss.job WHERE name = $1 GROUP BY state",
            [JOB_NAME],
          );
          const { completed = 0, ...other } = Object.fromEntries(
            rows.map((row) => [row.state, row.count]),
          );
          return { completed, other };
        } finally {
          await client.end();
        }
      },
      close: () => boss.stop({ graceful: true }),
    });
  },
  async worker(target, _variant, concurrency, handle) {
    const boss = _boss(target.location, true);
    await boss.start();
    return {
      async start() {
        await boss.work(
          JOB_NAME,
          { localConcurrency: concurrency, batchSize: BATCH_SIZE, burstWhenBatchFull: true },
          (jobs) => {
            for (const job of jobs) handle(job.data);
            return Promise.resolve();
          },
        );
        return { counters: () => ({}), stop: () => boss.stop({ graceful: true }) };
      },
    };
  },
};

if (import.meta.main) await runBenchChild(pgBoss);
