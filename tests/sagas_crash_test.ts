/**
 * Crash tests of the saga runner, with real processes: 200 sagas of five
 * steps (every fourth fails at step 4 and compensates steps 1–3) while the
 * runner process is killed with SIGKILL five times, on PostgreSQL and on
 * Deno KV; and, on PostgreSQL, while the store's server connections are
 * terminated under a runner that keeps running.
 *
 * Each step and compensation writes its start to a run log apart from the
 * saga store. After each kill, with no runner alive, the test reads every
 * saga's journal. It then checks that every saga ended as its input says,
 * that nothing the journal recorded as done before a kill ran after it,
 * that only steps and compensations in flight at a kill ran again (one per
 * saga per kill at most, each once per runner process), and that every
 * journal entry was first written after the last start of what it records.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  createSagaClient,
  FINISHED_SAGA_STATES,
  type SagaDetail,
  type SagaStore,
} from "@netscript/plugin-sagas-core";
import { CRASH_STEPS, crashSaga, FAILING_STEP, stepName } from "./fixtures/sagas/crash_runner.ts";
import {
  type FreshTier,
  freshTier,
  startRunner,
  waitUntil,
} from "./fixtures/sagas/crash_harness.ts";
import { openRunLog, type Run, type RunLog } from "./fixtures/sagas/run_log.ts";
import { openSagaStore, type SagaTier, stderrLogger } from "./fixtures/sagas/saga_tiers.ts";
import { pgQuery, postgres } from "./support/databases.ts";
import { type ChildProgram, killProgram } from "./support/process.ts";
import { assertAvailable } from "./support/requirements.ts";

const RUNNER = new URL("./fixtures/sagas/crash_runner.ts", import.meta.url);
const SAGAS = 200;
const KILLS = 5;
const CONCURRENCY = 8;
/** A runner is killed once it has started this many steps and compensations. */
const RUNS_BEFORE_KILL = 120;
/** How long a whole run may take before the test gives up. */
const DEADLINE_MS = 90_000;

/** `<saga>/<kind>/<name>`: one step or compensation of one saga. */
function _key(saga: string, kind: string, name: string): string {
  return `${saga}/${kind}/${name}`;
}

function _sagaId(n: number): string {
  return `crash-${n}`;
}

/** Every fourth saga fails at step 4. */
function _fails(n: number): boolean {
  return n % 4 === 3;
}

/** The steps and compensations a saga must have run, as keys. */
function _expectedKeys(n: number): string[] {
  const id = _sagaId(n);
  if (!_fails(n)) {
    return Array.from({ length: CRASH_STEPS }, (_, i) => _key(id, "step", stepName(i + 1)));
  }
  return [
    ...Array.from({ length: FAILING_STEP }, (_, i) => _key(id, "step", stepName(i + 1))),
    ...Array.from(
      { length: FAILING_STEP - 1 },
      (_, i) => _key(id, "compensation", stepName(i + 1)),
    ),
  ];
}

/** The keys of what the journal records as done: completed, or a step failed for good. */
function _doneKeys(detail: SagaDetail): string[] {
  return detail.entries
    .filter((e) =>
      (e.kind === "step" && (e.state === "completed" || e.state === "failed")) ||
      (e.kind === "compensation" && e.state === "completed")
    )
    .map((e) => _key(detail.saga.id, e.kind, e.name));
}

async function _details(store: SagaStore): Promise<SagaDetail[]> {
  const details: SagaDetail[] = [];
  for (let n = 0; n < SAGAS; n++) {
    const detail = await store.get(_sagaId(n));
    ok(detail !== null, `saga ${_sagaId(n)} exists`);
    details.push(detail);
  }
  return details;
}

/** Starts the sagas, `{ n, fail }` with the id `crash-<n>`. */
async function _startSagas(store: SagaStore, log: RunLog): Promise<void> {
  const saga = crashSaga(log, -1);
  const client = createSagaClient({ store, sagas: [saga] });
  for (let n = 0; n < SAGAS; n++) {
    const started = await client.start(saga, { n, fail: _fails(n) }, { id: _sagaId(n) });
    ok(started.created, `saga ${started.id} was started once`);
  }
}

/** How the sagas ended, and the ones that ended otherwise than their input says. */
function _checkEnds(details: readonly SagaDetail[]): { completed: number; compensated: number } {
  const wrong: string[] = [];
  let completed = 0;
  let compensated = 0;
  for (const [n, { saga, entries }] of details.entries()) {
    if (!_fails(n)) {
      completed++;
      if (saga.state !== "completed" || saga.output !== "[1,2,3,4,5]") {
        wrong.push(`${saga.id}: ${saga.state} ${saga.output} ${saga.error}`);
      }
      continue;
    }
    compensated++;
    // Compensations are recorded last registered first: steps 3, 2, 1.
    const undone = entries.filter((e) => e.kind === "compensation").map((e) => e.name);
    const failed = entries.filter((e) => e.state === "failed").map((e) => e.name);
    if (
      saga.state !== "compensated" ||
      JSON.stringify(undone) !== JSON.stringify([3, 2, 1].map(stepName)) ||
      JSON.stringify(failed) !== JSON.stringify([stepName(FAILING_STEP)])
    ) {
      wrong.push(`${saga.id}: ${saga.state}, compensations ${undone}, failed ${failed}`);
    }
  }
  deepEqual(wrong, [], "every saga ended as its input says");
  return { completed, compensated };
}

/** What the runs show, after the checks every crash run passes. */
interface RunFigures {
  readonly steps: number;
  readonly stepReruns: number;
  readonly compensations: number;
  readonly compensationReruns: number;
}

/**
 * Checks the runs against the journals: each saga ran exactly what its
 * input says, and each journal entry was first written after the last
 * start of what it records (nothing ran again once recorded).
 */
function _checkRuns(runs: readonly Run[], details: readonly SagaDetail[]): RunFigures {
  const byKey = Map.groupBy(runs, (run) => _key(run.saga, run.kind, run.name));
  deepEqual(
    [...byKey.keys()].sort(),
    Array.from({ length: SAGAS }, (_, n) => _expectedKeys(n)).flat().sort(),
    "each saga ran its steps, and its compensations when it failed, and nothing else",
  );
  const problems: string[] = [];
  for (const detail of details) {
    for (const entry of detail.entries) {
      const key = _key(detail.saga.id, entry.kind, entry.name);
      const started = byKey.get(key)?.map((run) => run.at) ?? [];
      if (started.some((at) => at >= entry.startedAt.getTime())) {
        problems.push(
          `${key} started at ${started} after its entry was written at ${entry.startedAt.toISOString()}`,
        );
      }
    }
  }
  let stepReruns = 0;
  let compensationReruns = 0;
  for (const keyRuns of byKey.values()) {
    if (keyRuns[0]!.kind === "step") stepReruns += keyRuns.length - 1;
    else compensationReruns += keyRuns.length - 1;
  }
  deepEqual(problems, [], "no step or compensation ran after the journal recorded it");
  return {
    steps: runs.filter((run) => run.kind === "step").length,
    stepReruns,
    compensations: runs.filter((run) => run.kind === "compensation").length,
    compensationReruns,
  };
}

/**
 * Checks the runs against the kills and what the journals recorded at
 * each: a runner process ran each step or compensation at most once;
 * nothing recorded as done at a kill ran in a later process; and of each
 * saga at most one step or compensation (the one in flight) ran both in a
 * killed process and in a later one.
 */
function _checkKills(runs: readonly Run[], doneAtKill: readonly ReadonlySet<string>[]): void {
  const problems: string[] = [];
  const byKey = Map.groupBy(runs, (run) => _key(run.saga, run.kind, run.name));
  for (const [key, keyRuns] of byKey) {
    const generations = keyRuns.map((run) => run.generation);
    if (new Set(generations).size !== generations.length) {
      problems.push(`${key} ran twice in one runner process: generations ${generations}`);
    }
  }
  for (const run of runs) {
    const key = _key(run.saga, run.kind, run.name);
    for (const [killed, done] of doneAtKill.entries()) {
      if (run.generation > killed && done.has(key)) {
        problems.push(
          `${key} ran in runner ${run.generation}, after kill ${killed + 1} found it done`,
        );
      }
    }
  }
  const reranAfter = new Map<string, number>();
  for (const keyRuns of byKey.values()) {
    const last = Math.max(...keyRuns.map((run) => run.generation));
    for (const run of keyRuns) {
      if (run.generation === last) continue;
      const slot = `${run.saga} in runner ${run.generation}`;
      reranAfter.set(slot, (reranAfter.get(slot) ?? 0) + 1);
    }
  }
  for (const [slot, count] of reranAfter) {
    if (count > 1) problems.push(`${count} steps or compensations of ${slot} ran again after it`);
  }
  deepEqual(problems, [], "only what was in flight at a kill ran again");
  ok(
    reranAfter.size <= KILLS * CONCURRENCY,
    `at most ${KILLS} × ${CONCURRENCY} steps and compensations were in flight at the kills (${reranAfter.size})`,
  );
}

async function _waitForEnds(
  store: SagaStore,
  options: { deadline: number; runner: ChildProgram },
): Promise<void> {
  await waitUntil(async () => {
    const stats = await store.stats();
    equal(stats.failed + stats.cancelled, 0, `no saga failed or was cancelled`);
    return FINISHED_SAGA_STATES.reduce((sum, state) => sum + stats[state], 0) === SAGAS;
  }, {
    deadline: options.deadline,
    describe: async () => `every saga finished (${JSON.stringify(await store.stats())})`,
    everyMs: 50,
    watch: options.runner,
  });
}

/** Starts the runner process of a generation on the tier's store. */
function _startCrashRunner(place: FreshTier, generation: number): ChildProgram {
  const { tier, at } = place.sagas;
  return startRunner(RUNNER, [tier, at, place.runLog, String(generation), String(CONCURRENCY)]);
}

async function _stopGracefully(runner: ChildProgram): Promise<void> {
  runner.child.kill("SIGTERM");
  const status = await runner.finished;
  equal(status.code, 0, `the last runner stops gracefully; stderr:\n${runner.stderr.join("\n")}`);
}

async function _crashRun(tier: SagaTier): Promise<void> {
  const began = performance.now();
  const place = await freshTier(tier);
  const logger = stderrLogger("sagas-crash-test");
  const store = await openSagaStore(place.sagas, logger);
  const log = await openRunLog(place.runLog);
  let runner: ChildProgram | undefined;
  try {
    await _startSagas(store, log);
    const deadline = Date.now() + DEADLINE_MS;
    const doneAtKill: Set<string>[] = [];
    const heldAtKill: number[] = [];
    let generation = 0;
    runner = _startCrashRunner(place, generation);
    for (let kill = 0; kill < KILLS; kill++) {
      const current = runner;
      await waitUntil(async () => (await log.count(generation)) >= RUNS_BEFORE_KILL, {
        deadline,
        describe: async () =>
          `runner ${generation} started ${RUNS_BEFORE_KILL} runs (${await log.count(generation)})`,
        everyMs: 5,
        watch: current,
      });
      const { owner } = await current.waitForRecord((record) => record.ready === true);
      const status = await killProgram(current);
      equal(status.signal, "SIGKILL", `runner ${generation} died of the SIGKILL`);
      const details = await _details(store);
      doneAtKill.push(new Set(details.flatMap(_doneKeys)));
      heldAtKill.push(details.filter(({ saga }) => saga.leaseOwner === owner).length);
      generation++;
      runner = _startCrashRunner(place, generation);
    }
    ok(
      doneAtKill.at(-1)!.size < SAGAS * CRASH_STEPS,
      "work was left when the last runner started",
    );
    ok(heldAtKill.some((held) => held > 0), "the killed runners held sagas");
    await _waitForEnds(store, { deadline, runner });
    await _stopGracefully(runner);
    runner = undefined;

    const details = await _details(store);
    const { completed, compensated } = _checkEnds(details);
    const runs = await log.runs();
    const figures = _checkRuns(runs, details);
    _checkKills(runs, doneAtKill);
    console.log(
      `sagas crash test (${tier}): ${SAGAS} sagas (${completed} completed, ${compensated} compensated), ${KILLS} SIGKILLs (sagas held at each: ${
        heldAtKill.join(", ")
      }); ${figures.steps} step runs, ${figures.stepReruns} of them again after a kill (in flight); ${figures.compensations} compensation runs, ${figures.compensationReruns} again after a kill (in flight); ${
        ((performance.now() - began) / 1000).toFixed(1)
      } s`,
    );
  } finally {
    if (runner !== undefined) await killProgram(runner);
    log.close();
    await store.close();
    await place.drop();
  }
}

Deno.test({
  name:
    "saga-runner on Postgres ends 200 sagas completed or compensated across five SIGKILLs, re-running only steps in flight",
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  await _crashRun("postgres");
});

Deno.test(
  "saga-runner on Deno KV ends 200 sagas completed or compensated across five SIGKILLs, re-running only steps in flight",
  async () => {
    await _crashRun("kv");
  },
);

/** Times the store's connections are cut while the runner runs. */
const TERMINATIONS = 3;

Deno.test({
  name:
    "saga-runner on Postgres recovers when the store's server connections are terminated mid-run",
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  const began = performance.now();
  const place = await freshTier("postgres");
  const database = place.sagas.at;
  const log = await openRunLog(place.runLog);
  const logger = stderrLogger("sagas-crash-test");
  let runner: ChildProgram | undefined;
  try {
    const starter = await openSagaStore(place.sagas, logger);
    await _startSagas(starter, log).finally(() => starter.close());
    const deadline = Date.now() + DEADLINE_MS;
    runner = _startCrashRunner(place, 0);
    const current = runner;
    const terminated: number[] = [];
    for (let cut = 1; cut <= TERMINATIONS; cut++) {
      await waitUntil(async () => (await log.count(0)) >= cut * 200, {
        deadline,
        describe: async () => `the runner started ${cut * 200} runs (${await log.count(0)})`,
        everyMs: 5,
        watch: current,
      });
      const rows = await pgQuery(
        database,
        `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      terminated.push(rows[0]!.count as number);
    }
    ok(terminated.every((count) => count > 0), `connections were terminated: ${terminated}`);
    // Only now does the test open a store of its own: the terminations spared it.
    const store = await openSagaStore(place.sagas, logger);
    try {
      await _waitForEnds(store, { deadline, runner });
      await _stopGracefully(runner);
      runner = undefined;
      const details = await _details(store);
      const { completed, compensated } = _checkEnds(details);
      const runs = await log.runs();
      const figures = _checkRuns(runs, details);
      ok(
        figures.stepReruns + figures.compensationReruns <= TERMINATIONS * CONCURRENCY,
        `at most ${TERMINATIONS} × ${CONCURRENCY} runs were cut short by the terminations`,
      );
      const errors = current.stderr.filter((line) => line.includes('"level":"error"')).length;
      console.log(
        `sagas store restart test (postgres): ${SAGAS} sagas (${completed} completed, ${compensated} compensated), ${TERMINATIONS} terminations of the server connections (${
          terminated.join(", ")
        } connections), ${errors} errors logged by the runner; ${figures.steps} step runs, ${figures.stepReruns} again; ${figures.compensations} compensation runs, ${figures.compensationReruns} again; ${
          ((performance.now() - began) / 1000).toFixed(1)
        } s`,
      );
    } finally {
      await store.close();
    }
  } finally {
    if (runner !== undefined) await killProgram(runner);
    log.close();
    await place.drop();
  }
});
