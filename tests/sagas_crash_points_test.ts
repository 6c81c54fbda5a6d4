/**
 * Crash-point tests of the sagas, on PostgreSQL and on Deno KV, with real
 * processes: for each named point between two durable writes of the tour
 * saga (see `fixtures/sagas/crash_points.ts`), a runner process kills
 * itself with SIGKILL exactly there; then one fresh runner process resumes
 * every tour. For each point the test checks what the journal held at the
 * death, and, after the resume, that the tour ended as its input says,
 * that each step and compensation ran once (twice only for the one in
 * flight at the point), that nothing recorded at the death ran again, and
 * that its job and its child saga exist exactly once.
 *
 * A second test kills a runner while one tour sleeps and another waits
 * for its signal, sends the signals while no runner runs, and checks a new
 * runner process finishes both, the sleep kept to its end.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  createSagaClient,
  decodeSagaValue,
  type SagaDetail,
  type SagaStore,
} from "@netscript/plugin-sagas-core";
import type { JobQueue } from "@netscript/plugin-workers-core";
import { endWithin, freshTier, startRunner, waitUntil } from "./fixtures/sagas/crash_harness.ts";
import { CRASH_POINTS, type CrashPoint, holdsWrite } from "./fixtures/sagas/crash_points.ts";
import type { PointRunnerConfig } from "./fixtures/sagas/crash_point_runner.ts";
import { openRunLog, type Run, type RunLog } from "./fixtures/sagas/run_log.ts";
import {
  openJobQueue,
  openSagaStore,
  type SagaTier,
  stderrLogger,
} from "./fixtures/sagas/saga_tiers.ts";
import { childName, defineTour, tourJob } from "./fixtures/sagas/tour_saga.ts";
import { postgres } from "./support/databases.ts";
import { type ChildProgram, killProgram } from "./support/process.ts";
import { assertAvailable } from "./support/requirements.ts";

const POINT_RUNNER = new URL("./fixtures/sagas/crash_point_runner.ts", import.meta.url);
/**
 * Dying runner processes at once. On Deno KV one at a time: several
 * processes working on one KV file at once have left it corrupted
 * ("database disk image is malformed"), with or without crashes, which
 * is not what this test is about.
 */
const PARALLEL: Readonly<Record<SagaTier, number>> = { postgres: 4, kv: 1 };
/** How long a whole test may take before it gives up. */
const DEADLINE_MS = 60_000;
/** The leases of a runner that dies: short, so the resuming runner claims its tour soon. */
const DYING_LEASE_MS = 250;

type Place = Awaited<ReturnType<typeof freshTier>>;

function _startPointRunner(
  place: Place,
  config: Omit<PointRunnerConfig, "sagas" | "jobs" | "runLog">,
): ChildProgram {
  const full: PointRunnerConfig = {
    sagas: place.sagas,
    jobs: place.jobs,
    runLog: place.runLog,
    ...config,
  };
  return startRunner(POINT_RUNNER, [JSON.stringify(full)]);
}

/** Runs `work` on every item, at most `limit` at once. */
async function _pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** The jobs of a saga: those whose input names it. */
async function _jobsOf(queue: JobQueue, sagaId: string) {
  const { items } = await queue.list({ name: tourJob.name, limit: 1_000 });
  return items.filter((job) => (job.input as { saga: string }).saga === sagaId);
}

/** The result of the journal entry of a kind, decoded. */
function _resultOf(detail: SagaDetail, kind: string): unknown {
  const entry = detail.entries.find((e) => e.kind === kind);
  ok(entry !== undefined, `${detail.saga.id} recorded a ${kind}`);
  return decodeSagaValue(entry.result);
}

/** `<kind>/<name>` of what the journal records as done (completed, or a failed step). */
function _doneAt(detail: SagaDetail): Set<string> {
  return new Set(
    detail.entries
      .filter((e) => e.state === "completed" || (e.kind === "step" && e.state === "failed"))
      .map((e) => `${e.kind}/${e.name}`),
  );
}

/** What a point's tour must have run, each once, as `<kind>/<name>`. */
function _expectedRuns(point: CrashPoint): string[] {
  const steps = point.fail ? ["one", "two", "three", "four"] : ["one", "two", "three"];
  const undone = point.fail ? ["three", "two", "one"] : [];
  return [...steps.map((s) => `step/${s}`), ...undone.map((s) => `compensation/${s}`)].sort();
}

/** What a point's dying process left: the journal, the jobs and the children. */
interface AtDeath {
  readonly status: Deno.CommandStatus;
  readonly stderr: readonly string[];
  readonly detail: SagaDetail;
  readonly jobs: number;
  readonly children: number;
}

function _checkDeath(point: CrashPoint, death: AtDeath, runs: readonly Run[]): void {
  equal(
    death.status.signal,
    "SIGKILL",
    `the runner died of its SIGKILL at the point; its stderr:\n${death.stderr.join("\n")}`,
  );
  const { detail } = death;
  if ("child" in point.write) {
    equal(death.children, 1, "the child was started before the death");
    ok(!detail.entries.some((e) => e.kind === "child"), "the parent had not recorded the child");
  } else if ("progress" in point.write) {
    equal(detail.saga.state, point.write.progress, "the saga's new state was committed");
  } else {
    equal(
      holdsWrite(point.write, { entries: detail.entries }),
      point.when === "after",
      `the journal ${point.when === "after" ? "holds" : "lacks"} the point's write`,
    );
  }
  if (point.name === "job-enqueued") equal(death.jobs, 1, "the job was enqueued before the death");
  if (point.inFlight !== undefined) {
    const first = runs.filter((run) => `${run.kind}/${run.name}` === point.inFlight);
    deepEqual(
      first.map((run) => run.generation),
      [0, 1],
      `${point.inFlight} ran before the death and once more after`,
    );
  }
}

async function _checkResumed(
  point: CrashPoint,
  death: AtDeath,
  sources: { store: SagaStore; queue: JobQueue; runs: readonly Run[] },
): Promise<void> {
  const { store, queue } = sources;
  const detail = (await store.get(point.name))!;
  equal(detail.saga.state, point.fail ? "compensated" : "completed", detail.saga.error ?? "");
  const runs = sources.runs.filter((run) => run.saga === point.name);
  const counts = Object.fromEntries(
    _expectedRuns(point).map((key) => [key, key === point.inFlight ? 2 : 1]),
  );
  deepEqual(
    Object.fromEntries(
      Object.entries(Object.groupBy(runs, (run) => `${run.kind}/${run.name}`))
        .map(([key, keyRuns]) => [key, keyRuns!.length]),
    ),
    counts,
    "each step and compensation ran once, the one in flight at the death twice",
  );
  const doneAtDeath = _doneAt(death.detail);
  deepEqual(
    runs.filter((run) => run.generation === 1 && doneAtDeath.has(`${run.kind}/${run.name}`)),
    [],
    "nothing recorded at the death ran again",
  );
  const jobs = await _jobsOf(queue, point.name);
  equal(jobs.length, 1, "the tour's job exists exactly once");
  const { id: jobId } = _resultOf(detail, "job") as { id: string };
  equal(jobs[0]!.id, jobId, "the job is the one the journal recorded");
  equal(
    (jobs[0]!.input as { key: string }).key,
    _resultOf(detail, "value"),
    "the job carries the uuid the journal recorded",
  );
  const children = await store.list({ name: childName(point.name) });
  equal(children.total, 1, "the child saga exists exactly once");
  const [child] = children.items;
  const { id: childId } = _resultOf(detail, "child") as { id: string };
  deepEqual(
    [child!.id, child!.parentId, child!.state],
    [childId, point.name, "completed"],
    "the child is the one the journal recorded, and it completed",
  );
  deepEqual(
    sources.runs.filter((run) => run.saga === childId).map((run) => run.name),
    ["child-step"],
    "the child's step ran once",
  );
  deepEqual(_resultOf(detail, "signal"), { token: `token-${point.name}` }, "the signal was taken");
  if (!point.fail) {
    deepEqual(JSON.parse(detail.saga.output!), {
      token: `token-${point.name}`,
      key: _resultOf(detail, "value"),
      job: jobId,
      child: childId,
    }, "the output holds what the journal recorded");
  }
}

async function _openAll(place: Place) {
  const logger = stderrLogger("sagas-crash-points-test");
  const store = await openSagaStore(place.sagas, logger);
  const queue = await openJobQueue(place.jobs, logger);
  const log = await openRunLog(place.runLog);
  return {
    store,
    queue,
    log,
    async close() {
      log.close();
      await queue.close();
      await store.close();
    },
  };
}

/** Starts a tour, `null` for no signal sent. */
async function _startTour(
  store: SagaStore,
  log: RunLog,
  tour: { name: string; fail: boolean; napMs: number; token: string | null },
): Promise<void> {
  const { tour: saga } = defineTour(tour.name, { log, generation: -1 });
  const client = createSagaClient({ store, sagas: [saga] });
  await client.start(saga, { fail: tour.fail, napMs: tour.napMs }, { id: tour.name });
  if (tour.token !== null) await client.signal(tour.name, "go", { token: tour.token });
}

async function _crashPoints(t: Deno.TestContext, tier: SagaTier): Promise<void> {
  const began = performance.now();
  const place = await freshTier(tier);
  const opened = await _openAll(place);
  const { store, queue, log } = opened;
  try {
    const deadline = Date.now() + DEADLINE_MS;
    for (const point of CRASH_POINTS) {
      await _startTour(store, log, {
        name: point.name,
        fail: point.fail,
        napMs: 50,
        token: `token-${point.name}`,
      });
    }
    const deaths = new Map<string, AtDeath>();
    await _pool(CRASH_POINTS, PARALLEL[tier], async (point) => {
      const program = _startPointRunner(place, {
        generation: 0,
        tours: [point.name],
        children: false,
        crash: point.name,
        until: [point.name],
        leaseMs: DYING_LEASE_MS,
      });
      const status = await endWithin(program, deadline);
      deaths.set(point.name, {
        status,
        stderr: program.stderr,
        detail: (await store.get(point.name))!,
        jobs: (await _jobsOf(queue, point.name)).length,
        children: (await store.list({ name: childName(point.name) })).total,
      });
    });
    const resume = _startPointRunner(place, {
      generation: 1,
      tours: CRASH_POINTS.map((point) => point.name),
      children: true,
      crash: null,
      until: null,
      leaseMs: 1_000,
    });
    const status = await endWithin(resume, deadline);
    equal(status.code, 0, `the resuming runner finished; its stderr:\n${resume.stderr.join("\n")}`);
    const runs = await log.runs();
    let passed = 0;
    for (const point of CRASH_POINTS) {
      const death = deaths.get(point.name)!;
      const pointRuns = runs.filter((run) => run.saga === point.name);
      passed += Number(
        await t.step(point.name, async () => {
          _checkDeath(point, death, pointRuns);
          await _checkResumed(point, death, { store, queue, runs });
        }),
      );
    }
    console.log(
      `sagas crash points (${tier}): ${CRASH_POINTS.length} points, ${passed} resumed correctly, ${
        CRASH_POINTS.filter((point) => point.inFlight !== undefined).length
      } of them with work in flight that ran twice; ${runs.length} runs; ${
        ((performance.now() - began) / 1000).toFixed(1)
      } s`,
    );
  } finally {
    await opened.close();
    await place.drop();
  }
}

Deno.test({
  name: "sagas on Postgres resume from every crash point in a fresh process, nothing done twice",
  ignore: postgres.ignore,
}, async (t) => {
  assertAvailable(postgres, "postgres");
  await _crashPoints(t, "postgres");
});

Deno.test(
  "sagas on Deno KV resume from every crash point in a fresh process, nothing done twice",
  async (t) => {
    await _crashPoints(t, "kv");
  },
);

/** How long the sleeping tour sleeps. */
const NAP_MS = 1_500;

async function _waitsSurvive(tier: SagaTier): Promise<void> {
  const place = await freshTier(tier);
  const opened = await _openAll(place);
  const { store, log } = opened;
  let runner: ChildProgram | undefined;
  try {
    const deadline = Date.now() + DEADLINE_MS;
    await _startTour(store, log, { name: "asleep", fail: false, napMs: NAP_MS, token: null });
    await _startTour(store, log, { name: "awaiting", fail: false, napMs: 0, token: null });
    runner = _startPointRunner(place, {
      generation: 0,
      tours: ["asleep", "awaiting"],
      children: false,
      crash: null,
      until: ["asleep", "awaiting"],
      leaseMs: 1_000,
    });
    const waitingAt = async (id: string, kind: string) => {
      const detail = (await store.get(id))!;
      return detail.saga.state === "waiting" &&
        detail.entries.some((e) => e.kind === kind && e.state === "waiting");
    };
    await waitUntil(
      async () => await waitingAt("asleep", "sleep") && await waitingAt("awaiting", "signal"),
      {
        deadline,
        describe: async () =>
          JSON.stringify([await store.get("asleep"), await store.get("awaiting")]),
        everyMs: 20,
        watch: runner,
      },
    );
    equal((await killProgram(runner)).signal, "SIGKILL", "the runner died of the SIGKILL");
    runner = undefined;
    const client = createSagaClient({
      store,
      sagas: ["asleep", "awaiting"].map((name) => defineTour(name, { log, generation: -1 }).tour),
    });
    await client.signal("asleep", "go", { token: "late" });
    await client.signal("awaiting", "go", { token: "meanwhile" });
    runner = _startPointRunner(place, {
      generation: 1,
      tours: ["asleep", "awaiting"],
      children: true,
      crash: null,
      until: null,
      leaseMs: 1_000,
    });
    equal((await endWithin(runner, deadline)).code, 0, "the new runner finished the tours");
    runner = undefined;
    const runs = await log.runs();
    for (const [id, token] of [["asleep", "late"], ["awaiting", "meanwhile"]] as const) {
      const detail = (await store.get(id))!;
      equal(detail.saga.state, "completed", `${id}: ${detail.saga.error}`);
      equal(JSON.parse(detail.saga.output!).token, token, `${id} took its signal`);
      deepEqual(
        runs.filter((run) => run.saga === id).map((run) => `${run.name}@${run.generation}`)
          .sort(),
        ["one@0", "three@1", "two@0"],
        `${id}: steps one and two ran before the kill, three after it, each once`,
      );
    }
    const asleep = (await store.get("asleep"))!;
    const sleep = asleep.entries.find((e) => e.kind === "sleep")!;
    const signal = asleep.entries.find((e) => e.kind === "signal")!;
    ok(
      signal.startedAt.getTime() >= sleep.wakeAt!.getTime(),
      `the sleep lasted to its end across the restart (woke ${
        sleep.wakeAt!.toISOString()
      }, went on ${signal.startedAt.toISOString()})`,
    );
  } finally {
    if (runner !== undefined) await killProgram(runner);
    await opened.close();
    await place.drop();
  }
}

Deno.test({
  name:
    "sagas on Postgres asleep or waiting for a signal when the runner is SIGKILLed finish in a new runner",
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  await _waitsSurvive("postgres");
});

Deno.test(
  "sagas on Deno KV asleep or waiting for a signal when the runner is SIGKILLed finish in a new runner",
  async () => {
    await _waitsSurvive("kv");
  },
);
