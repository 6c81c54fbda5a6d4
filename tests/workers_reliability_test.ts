/**
 * Crash tests for the workers on the real PostgreSQL: 10,000 jobs while the
 * worker process is killed with SIGKILL again and again. Every job must
 * complete; a job may run twice only if it was in flight at a kill.
 */
import { equal, ok } from "node:assert/strict";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { pgQuery, postgres } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";
import { freshWorkersDatabase } from "../plugins/workers-core/src/adapters/postgres/testdata/workers_database.ts";

const WORKER = new URL("./fixtures/workers/record_worker.ts", import.meta.url).pathname;
const JOBS = 10_000;
const CONCURRENCY = 8;
const KILLS = 5;

function startWorker(url: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", WORKER, url, String(CONCURRENCY)],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

Deno.test({
  name:
    "10,000 jobs survive a worker killed with SIGKILL five times: none lost, re-runs only for jobs in flight",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshWorkersDatabase();
    const queue = createPostgresJobQueue({
      url: database.url,
      logger: createLogger({ service: "test", sink: () => {} }),
    });
    let worker: Deno.ChildProcess | undefined;
    try {
      await pgQuery(database.url, "CREATE TABLE executions (job_id uuid NOT NULL)");
      for (let i = 0; i < JOBS; i += 2_000) {
        await queue.enqueueMany(
          Array.from({ length: 2_000 }, (_, j) => ({
            name: "record",
            input: { n: i + j },
            maxAttempts: 10,
          })),
        );
      }
      const completed = async () => (await queue.stats()).completed;
      for (let kill = 0; kill < KILLS; kill++) {
        worker = startWorker(database.url);
        const before = await completed();
        const deadline = Date.now() + 30_000;
        while ((await completed()) < before + 200 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        worker.kill("SIGKILL");
        await worker.status;
      }
      const killedAt = await completed();
      ok(killedAt < JOBS, `jobs were still left after the kills (${killedAt} completed)`);
      worker = startWorker(database.url);
      const deadline = Date.now() + 120_000;
      while ((await completed()) < JOBS && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      worker.kill("SIGTERM");
      equal((await worker.status).code, 0, "the last worker stops gracefully");
      worker = undefined;

      const stats = await queue.stats();
      equal(stats.completed, JOBS, `every job completed (${JSON.stringify(stats)})`);
      const [row] = await pgQuery(
        database.url,
        "SELECT count(*)::int AS runs, count(DISTINCT job_id)::int AS jobs FROM executions",
      );
      equal(row!.jobs, JOBS, "every job ran");
      const duplicates = (row!.runs as number) - JOBS;
      ok(
        duplicates <= KILLS * CONCURRENCY,
        `${duplicates} re-runs; at most ${KILLS * CONCURRENCY} jobs were in flight at the kills`,
      );
      const [attempts] = await pgQuery(
        database.url,
        "SELECT count(*)::int AS retried FROM workers_jobs WHERE attempts > 1",
      );
      console.log(
        `workers crash test: ${JOBS} jobs, ${KILLS} SIGKILLs, ${duplicates} duplicate executions, ${
          attempts!.retried
        } jobs reclaimed after a kill`,
      );
    } finally {
      if (worker) {
        worker.kill("SIGKILL");
        await worker.status;
      }
      await queue.close();
      await database.drop();
    }
  },
});
