/**
 * Crash test for the state follower of the trigger processor on the real
 * PostgreSQL: 300 `charge` jobs die (one attempt, failed) in the job
 * store while a processor process, running the state follower of the
 * `charge-died` trigger and the dispatcher that starts its `refund` jobs,
 * is killed with SIGKILL three times, each time (if it comes within a
 * second) while some state events are recorded as deliveries but not yet
 * removed, and some charges die while it is down. Every death must
 * end as exactly one dispatched delivery and exactly one `refund` job
 * naming it, and no state event may be left: an event a killed follower
 * recorded but did not remove is read again, and its delivery is then a
 * duplicate the delivery store drops; the events of deaths while the
 * processor is down wait for it.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  createPostgresJobQueue,
  type PostgresJobQueue,
} from "@netscript/plugin-workers-core/postgres";
import type { JobRecord } from "@netscript/plugin-workers-core";
import { createLogger } from "@netscript/telemetry";
import { TRIGGERS_FRAGMENT } from "../plugins/triggers-core/src/adapters/postgres/testdata/triggers_database.ts";
import { WORKERS_FRAGMENT } from "../plugins/workers-core/src/adapters/postgres/testdata/workers_database.ts";
import {
  CHARGE_JOB,
  chargeDied,
  RECORDED_MESSAGE,
  refundJob,
  WATCHING_MESSAGE,
} from "./fixtures/triggers/state_crash_processor.ts";
import { freshPluginDatabase, pgQuery, postgres } from "./support/databases.ts";
import { type ChildProgram, killProgram, startProgram } from "./support/process.ts";
import { assertAvailable } from "./support/requirements.ts";

const PROCESSOR = new URL("./fixtures/triggers/state_crash_processor.ts", import.meta.url);
const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read"];
/** The charge jobs that die. */
const DEATHS = 300;
/** Concurrent loops making charges die. */
const PRODUCERS = 3;
/** The processor is killed once this many charges have died. */
const KILL_AT = [90, 180, 270];
/** While the processor runs, charges die while fewer than this many state events wait. */
const LEAD = 30;
/** Charges that die while the processor is down, at each kill. */
const WHILE_DOWN = 10;
/**
 * How long a kill waits for a moment when events are recorded but not yet
 * removed; then it kills anyway.
 */
const PREFER_MS = 1_000;
/** How long the whole run may take before the test gives up. */
const DEADLINE_MS = 45_000;

/** Where the deaths are: started, done, how many may start, and a producer's failure. */
interface Production {
  /** Charges enqueued so far. */
  started: number;
  /** Charges dead so far. */
  made: number;
  /** Charges that may be enqueued by now. */
  limit: number;
  /** Set when the test ends: the loops stop. */
  stopped: boolean;
  /** What a loop threw, if one did. */
  failure: unknown;
}

/** What the tables hold at one moment. */
interface Progress {
  /** The trigger's deliveries. */
  readonly deliveries: number;
  /** Its deliveries not yet dispatched. */
  readonly pending: number;
  /** The state events not yet removed. */
  readonly events: number;
  /** Those of them already recorded as a delivery. */
  readonly recorded: number;
}

/** Reads a {@linkcode Progress}, in one snapshot. */
const PROGRESS = `SELECT
  (SELECT count(*)::int FROM triggers_deliveries WHERE trigger = '${chargeDied.name}') AS deliveries,
  (SELECT count(*)::int FROM triggers_deliveries
    WHERE trigger = '${chargeDied.name}' AND state = 'pending') AS pending,
  (SELECT count(*)::int FROM workers_state_events) AS events,
  (SELECT count(*)::int FROM workers_state_events e WHERE EXISTS (
    SELECT 1 FROM triggers_deliveries d WHERE d.trigger = '${chargeDied.name}'
      AND d.key = 'job:' || e.job_id || ':' || e.state || ':' || e.seq)) AS recorded`;

async function _progress(url: string): Promise<Progress> {
  const [row] = await pgQuery(url, PROGRESS);
  return row as unknown as Progress;
}

async function _count(url: string, sql: string): Promise<number> {
  const [row] = await pgQuery(url, sql);
  return row!.count as number;
}

/** Polls `check` until it holds; fails at the deadline or when a producer failed. */
async function _waitFor(
  what: string,
  deadline: number,
  production: Production,
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  while (!await check()) {
    if (production.failure !== undefined) throw production.failure;
    ok(Date.now() < deadline, `${what} in time`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Makes charges die from a few concurrent loops, each enqueueing a charge
 * with one attempt, claiming one and failing it without a retry, while
 * fewer than `production.limit` have started.
 */
async function _produce(queue: PostgresJobQueue, production: Production): Promise<void> {
  await Promise.all(Array.from({ length: PRODUCERS }, async (_, loop) => {
    const worker = `producer-${loop}`;
    while (production.started < DEATHS && !production.stopped) {
      if (production.started >= production.limit) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      const n = production.started++;
      await queue.enqueue({ name: CHARGE_JOB, input: { n }, maxAttempts: 1 });
      // Another loop may have claimed this charge, and the one left may have
      // been enqueued after this claim's snapshot: then claim again.
      let job: JobRecord | undefined;
      while (job === undefined) {
        [job] = await queue.claim({
          workerId: worker,
          limit: 1,
          leaseMs: 60_000,
          names: [CHARGE_JOB],
        });
      }
      ok(await queue.fail(job.id, worker, "declined", null), "the charge died");
      production.made++;
    }
  })).catch((error) => {
    production.failure = error;
  });
}

/** Sums a field of the follower's batch lines over every processor run. */
function _logged(runs: readonly ChildProgram[], field: "recorded" | "duplicates"): number {
  let total = 0;
  for (const run of runs) {
    for (const line of run.stdout) {
      const record = JSON.parse(line);
      if (record.msg === RECORDED_MESSAGE) total += record[field] as number;
    }
  }
  return total;
}

Deno.test({
  name:
    "trigger-processor on Postgres turns 300 job deaths into 300 refund jobs exactly once across three SIGKILLs",
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  const database = await freshPluginDatabase([
    { plugin: "triggers", file: TRIGGERS_FRAGMENT },
    { plugin: "workers", file: WORKERS_FRAGMENT },
  ]);
  const { url } = database;
  const queue = createPostgresJobQueue({
    url,
    logger: createLogger({ service: "producers", sink: () => {} }),
  });
  const runs: ChildProgram[] = [];
  const start = () => {
    const run = startProgram(PROCESSOR, { permissions: PERMISSIONS, args: [url] });
    runs.push(run);
    return run;
  };
  const production: Production = {
    started: 0,
    made: 0,
    limit: 0,
    stopped: false,
    failure: undefined,
  };
  let producing: Promise<void> | undefined;
  let processor: ChildProgram | undefined;
  try {
    const deadline = Date.now() + DEADLINE_MS;
    processor = start();
    // Deaths before the first watch are not recorded: the charges start dying once it watches.
    await _waitFor(
      "the processor watches charges dying",
      deadline,
      production,
      async () =>
        await _count(
          url,
          `SELECT count(*)::int AS count FROM workers_watched_states
          WHERE name = '${CHARGE_JOB}' AND state = 'dead'`,
        ) === 1,
    );
    production.limit = LEAD;
    producing = _produce(queue, production);
    /** What each killed processor left, read once it was dead. */
    const kills: Progress[] = [];
    for (const [index, threshold] of KILL_AT.entries()) {
      // Charges are kept back for this kill's and the later kills' downtimes.
      const cap = DEATHS - WHILE_DOWN * (KILL_AT.length - index);
      let waitingSince: number | undefined;
      await _waitFor(
        `${threshold} charges died`,
        deadline,
        production,
        async () => {
          const progress = await _progress(url);
          production.limit = Math.max(
            production.limit,
            Math.min(cap, production.made + LEAD - progress.events),
          );
          if (production.made < threshold) return false;
          waitingSince ??= Date.now();
          return progress.recorded > 0 || Date.now() - waitingSince > PREFER_MS;
        },
      );
      processor.child.kill("SIGKILL");
      equal((await processor.finished).signal, "SIGKILL", "the processor died of the SIGKILL");
      // Read once it is dead: what it left.
      const left = await _progress(url);
      const startedAtKill = production.started;
      production.limit = startedAtKill + WHILE_DOWN;
      await _waitFor(
        "charges died while the processor was down",
        deadline,
        production,
        () => production.made >= production.limit,
      );
      const down = await _progress(url);
      equal(down.deliveries, left.deliveries, "nothing is recorded while the processor is down");
      ok(
        down.events >= left.events + WHILE_DOWN,
        "the deaths while the processor is down wait as state events",
      );
      kills.push(left);
      processor = start();
    }
    production.limit = DEATHS;
    await producing;
    if (production.failure !== undefined) throw production.failure;
    equal(production.made, DEATHS, "every charge died");
    await _waitFor("every death was recorded and dispatched", deadline, production, async () => {
      const progress = await _progress(url);
      // Events are removed only once recorded: none left means every death is recorded.
      return progress.events === 0 && progress.pending === 0;
    });
    // A SIGTERM before its handler is set would kill it: wait until it watches.
    const last = processor;
    await _waitFor(
      "the last processor watches",
      deadline,
      production,
      () => last.stdout.some((line) => JSON.parse(line).msg === WATCHING_MESSAGE),
    );
    processor.child.kill("SIGTERM");
    equal((await processor.finished).code, 0, "the last processor stops gracefully");
    processor = undefined;

    const [deliveries] = await pgQuery(
      url,
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE state = 'dispatched')::int AS dispatched,
              count(DISTINCT payload->>'id')::int AS charges,
              count(*) FILTER (WHERE key NOT LIKE 'job:' || (payload->>'id') || ':dead:%'
                OR payload->>'error' <> 'declined')::int AS misnamed,
              count(*) FILTER (WHERE attempts > 1)::int AS reclaimed
         FROM triggers_deliveries WHERE trigger = '${chargeDied.name}'`,
    );
    equal(
      deliveries!.total,
      DEATHS,
      `each death was recorded once (${deliveries!.total} deliveries for ${DEATHS} deaths)`,
    );
    equal(deliveries!.dispatched, DEATHS, "every delivery is dispatched");
    equal(deliveries!.charges, DEATHS, "each delivery names a charge of its own");
    equal(deliveries!.misnamed, 0, "each delivery is keyed by its event and carries the error");
    const [jobs] = await pgQuery(
      url,
      `SELECT count(*) FILTER (WHERE name = '${CHARGE_JOB}' AND state = 'dead')::int AS dead,
              count(*) FILTER (WHERE name = '${refundJob.name}')::int AS refunds,
              count(DISTINCT input->>'of') FILTER (WHERE name = '${refundJob.name}')::int AS refunded,
              count(*)::int AS total
         FROM workers_jobs`,
    );
    deepEqual(
      jobs,
      { dead: DEATHS, refunds: DEATHS, refunded: DEATHS, total: 2 * DEATHS },
      "300 dead charges and 300 refunds, each of a different charge",
    );
    equal(
      await _count(
        url,
        `SELECT count(*)::int AS count FROM workers_jobs r
          LEFT JOIN workers_jobs c ON c.id::text = r.input->>'of'
            AND c.name = '${CHARGE_JOB}' AND c.state = 'dead'
         WHERE r.name = '${refundJob.name}' AND c.id IS NULL`,
      ),
      0,
      "each refund is of a dead charge",
    );
    equal(
      await _count(url, "SELECT count(*)::int AS count FROM workers_state_events"),
      0,
      "no state event is left",
    );
    equal(
      await _count(url, "SELECT count(*)::int AS count FROM workers_once_keys"),
      DEATHS,
      "one once-key per delivery",
    );
    const leftRecorded = kills.reduce((sum, kill) => sum + kill.recorded, 0);
    ok(leftRecorded > 0, "a kill left events recorded but not removed");
    const duplicates = _logged(runs, "duplicates");
    ok(duplicates > 0, "events a killed follower recorded were read again as duplicates");
    const list = (field: keyof Progress) => kills.map((kill) => kill[field]).join("/");
    console.log(
      `triggers state crash test (Postgres): ${DEATHS} dead charges, ${KILL_AT.length} SIGKILLs at ${
        list("deliveries")
      } deliveries; left at the kills: ${list("events")} events unremoved (${
        list("recorded")
      } of them already recorded), ${
        list("pending")
      } deliveries pending; ${WHILE_DOWN} charges died while it was down after each; ${duplicates} events re-read as duplicates (logged), ${
        _logged(runs, "recorded")
      } recorded (logged), ${deliveries!.reclaimed} deliveries claimed again; ${
        deliveries!.total
      } deliveries, ${jobs!.refunds} refund jobs`,
    );
  } finally {
    production.stopped = true;
    await producing;
    if (processor) await killProgram(processor);
    await queue.close();
    await database.drop();
  }
});
