/**
 * Crash tests for the workers on the real PostgreSQL: 10,000 jobs while the
 * worker process is killed with SIGKILL again and again, by default and
 * with jobs claimed ahead. Every job must complete; a job may run twice
 * only if it was in flight at a kill (a job claimed ahead, not started,
 * runs once, after its lease runs out).
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

function startWorker(url: string, claimAhead: number): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      WORKER,
      url,
      String(CONCURRENCY),
      String(claimAhead),
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

/**
 * Runs the jobs through workers killed {@linkcode KILLS} times, then checks
 * them. `inFlight` bounds the jobs that ran at a kill without their
 * completion stored: those running, and those in the completion batch
 * being written.
 */
async function crashTest(claimAhead: number, inFlight: number): Promise<void> {
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
      worker = startWorker(database.url, claimAhead);
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
    worker = startWorker(database.url, claimAhead);
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
      duplicates <= KILLS * inFlight,
      `${duplicates} re-runs; at most ${KILLS * inFlight} jobs were in flight at the kills`,
    );
    const [attempts] = await pgQuery(
      database.url,
      "SELECT count(*)::int AS retried FROM workers_jobs WHERE attempts > 1",
    );
    if (claimAhead > 0) {
      ok(
        (attempts!.retried as number) > duplicates,
        "jobs held but not started at a kill were taken over, and ran once",
      );
    }
    console.log(
      `workers crash test (claimAhead ${claimAhead}): ${JOBS} jobs, ${KILLS} SIGKILLs, ${duplicates} duplicate executions, ${
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
}

Deno.test({
  name:
    "10,000 jobs survive a worker killed with SIGKILL five times: none lost, re-runs only for jobs in flight",
  ignore: postgres.ignore,
  fn: () => crashTest(0, CONCURRENCY),
});

Deno.test({
  name:
    "10,000 jobs survive a worker claiming 200 ahead killed with SIGKILL five times: the jobs it held run once, after their leases run out",
  ignore: postgres.ignore,
  // A worker claiming ahead refills a slot without waiting for a claim, so
  // more completions pile up behind the one being written; the jobs it held
  // but had not started never ran, so they add no re-run.
  fn: () => crashTest(200, 4 * CONCURRENCY),
});
