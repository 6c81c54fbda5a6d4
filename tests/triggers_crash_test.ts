/**
 * Crash test for the trigger processor on the real PostgreSQL: 1,000
 * signed webhooks are recorded through `triggers-api` while a dispatcher
 * process (the delivery store and the job queue both on Postgres) is
 * killed with SIGKILL three times mid-dispatch. Every delivery must end
 * dispatched, and the job table must hold exactly one job per delivery:
 * a delivery a killed processor held is claimed again once its lease runs
 * out, and its dispatch finds the job it may already have started.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { signStandardWebhook } from "@netscript/plugin-triggers-core";
import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
import { createTriggersService } from "@netscript/plugin-triggers";
import { createLogger } from "@netscript/telemetry";
import { TRIGGERS_FRAGMENT } from "../plugins/triggers-core/src/adapters/postgres/testdata/triggers_database.ts";
import { WORKERS_FRAGMENT } from "../plugins/workers-core/src/adapters/postgres/testdata/workers_database.ts";
import { CRASH_SECRET_ENV, crashTriggers } from "./fixtures/triggers/crash_processor.ts";
import { freshPluginDatabase, pgQuery, postgres } from "./support/databases.ts";
import { type ChildProgram, killProgram, startProgram } from "./support/process.ts";
import { assertAvailable } from "./support/requirements.ts";

const PROCESSOR = new URL("./fixtures/triggers/crash_processor.ts", import.meta.url);
const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read"];
const DELIVERIES = 1_000;
/** Concurrent webhook senders. */
const SENDERS = 4;
/** The processor is killed once this many jobs exist. */
const KILL_AT = [150, 450, 750];
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/** How long the whole run may take before the test gives up. */
const DEADLINE_MS = 50_000;

async function _count(url: string, sql: string): Promise<number> {
  const [row] = await pgQuery(url, sql);
  return row!.count as number;
}

/** How many jobs exist, and how many deliveries a processor holds under a live lease. */
async function _progress(url: string): Promise<{ jobs: number; held: number }> {
  const [row] = await pgQuery(
    url,
    `SELECT (SELECT count(*)::int FROM workers_jobs) AS jobs,
            (SELECT count(*)::int FROM triggers_deliveries
              WHERE state = 'pending' AND lease_expires_at > now()) AS held`,
  );
  return { jobs: row!.jobs as number, held: row!.held as number };
}

/** Posts `{ n }` for every n, signed, from a few concurrent senders; resolves with each answer's status. */
async function _send(fetchHook: (request: Request) => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (next < DELIVERIES) {
      const n = next++;
      const body = JSON.stringify({ n });
      const headers = await signStandardWebhook({
        secret: SECRET,
        id: `msg_${n}`,
        timestamp: new Date(),
        body,
      });
      const answer = await fetchHook(
        new Request("http://localhost/hooks/crash", {
          method: "POST",
          body,
          headers: { ...headers, "content-type": "application/json" },
        }),
      );
      await answer.body?.cancel();
      statuses[n] = answer.status;
    }
  }));
  return statuses;
}

Deno.test({
  name:
    "trigger-processor on Postgres dispatches 1,000 webhooks exactly once across three SIGKILLs mid-dispatch",
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  const database = await freshPluginDatabase([
    { plugin: "triggers", file: TRIGGERS_FRAGMENT },
    { plugin: "workers", file: WORKERS_FRAGMENT },
  ]);
  const logger = createLogger({ service: "triggers-api", sink: () => {} });
  const store = createPostgresDeliveryStore({ url: database.url, logger });
  const service = createTriggersService({
    store,
    triggers: crashTriggers,
    env: { get: (name) => name === CRASH_SECRET_ENV ? SECRET : undefined },
    logger,
  });
  const start = () => startProgram(PROCESSOR, { permissions: PERMISSIONS, args: [database.url] });
  let processor: ChildProgram | undefined;
  try {
    processor = start();
    const sent = _send((request) => service.fetch(request));
    const heldAtKill: number[] = [];
    const deadline = Date.now() + DEADLINE_MS;
    for (const threshold of KILL_AT) {
      // Killed once enough jobs exist and while deliveries are leased: mid-dispatch.
      let progress = await _progress(database.url);
      while (progress.jobs < threshold || progress.held === 0) {
        ok(Date.now() < deadline, `${threshold} jobs were started in time`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        progress = await _progress(database.url);
      }
      processor.child.kill("SIGKILL");
      heldAtKill.push(progress.held);
      equal((await processor.finished).signal, "SIGKILL", "the processor died of the SIGKILL");
      processor = start();
    }
    const statuses = await sent;
    deepEqual(
      [...new Set(statuses)],
      [202],
      "every webhook was recorded and answered 202, none a duplicate",
    );
    while ((await store.stats()).dispatched < DELIVERIES) {
      ok(
        Date.now() < deadline,
        `every delivery was dispatched in time (${JSON.stringify(await store.stats())})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    processor.child.kill("SIGTERM");
    equal((await processor.finished).code, 0, "the last processor stops gracefully");
    processor = undefined;

    const [deliveries] = await pgQuery(
      database.url,
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE state = 'dispatched')::int AS dispatched,
              count(DISTINCT target->>'id')::int AS targets,
              count(*) FILTER (WHERE attempts > 1)::int AS reclaimed
         FROM triggers_deliveries`,
    );
    equal(deliveries!.total, DELIVERIES, "every webhook was recorded once");
    equal(deliveries!.dispatched, DELIVERIES, "every delivery is dispatched");
    equal(deliveries!.targets, DELIVERIES, "each delivery names a job of its own");
    ok(
      (deliveries!.reclaimed as number) > 0,
      "deliveries a killed processor held were claimed again",
    );
    const [jobs] = await pgQuery(
      database.url,
      `SELECT count(*)::int AS total,
              count(DISTINCT (input->>'n')::int)::int AS distinct_n,
              min((input->>'n')::int) AS min_n,
              max((input->>'n')::int) AS max_n
         FROM workers_jobs`,
    );
    deepEqual(
      jobs,
      { total: DELIVERIES, distinct_n: DELIVERIES, min_n: 0, max_n: DELIVERIES - 1 },
      "the job table holds exactly 1,000 jobs, inputs 0..999 once each",
    );
    const missing = await _count(
      database.url,
      `SELECT count(*)::int AS count FROM triggers_deliveries d
         LEFT JOIN workers_jobs j ON j.id = (d.target->>'id')::uuid
        WHERE j.id IS NULL OR (j.input->>'n') <> (d.payload->>'n') OR j.name <> 'record'`,
    );
    equal(missing, 0, "each delivery's job exists and carries the delivery's payload");
    equal(
      await _count(database.url, "SELECT count(*)::int AS count FROM workers_once_keys"),
      DELIVERIES,
      "one once-key per delivery",
    );
    console.log(
      `triggers crash test (Postgres): ${DELIVERIES} deliveries, ${KILL_AT.length} SIGKILLs, deliveries held at the kills: ${
        heldAtKill.join(", ")
      }, ${deliveries!.reclaimed} claimed again after a kill, ${jobs!.total} jobs`,
    );
  } finally {
    if (processor) await killProgram(processor);
    await store.close();
    await database.drop();
  }
});
