import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { z } from "zod";
import { withSpan } from "@netscript/telemetry";
import { spansNamed, useInMemoryTracing } from "../../../../tests/support/tracing.ts";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob, type JobDefinition } from "../dsl/define_job.ts";
import type { JobRecord } from "../ports/job_queue.ts";
import { createJobClient } from "./job_client.ts";
import type { WorkerEvent } from "./settle_outcome.ts";
import { createWorker, type WorkerOptions } from "./worker.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a worker until `until` holds (or 10 s pass), then stops it. */
async function runWorker(
  options: Omit<WorkerOptions, "logger">,
  until: (events: WorkerEvent[]) => boolean,
): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  const worker = createWorker({
    pollMs: 20,
    ...options,
    logger: quiet,
    onEvent: (e) => events.push(e),
  });
  const running = worker.start();
  const deadline = Date.now() + 10_000;
  while (!until(events) && Date.now() < deadline) await sleep(5);
  await worker.stop();
  await running;
  ok(until(events), `condition not reached; events: ${events.map((e) => e.type).join(", ")}`);
  return events;
}

const job = <T extends z.ZodType>(
  name: string,
  input: T,
  handler: JobDefinition<T>["handler"],
  extra: Partial<Parameters<typeof defineJob<T>>[0]> = {},
) => defineJob({ name, input, handler, ...extra });

Deno.test("a worker runs up to its concurrency at once and completes every job", async () => {
  const queue = new MemoryJobQueue();
  let now = 0;
  let peak = 0;
  const work = job("work", z.number(), async () => {
    peak = Math.max(peak, ++now);
    await sleep(20);
    now--;
  });
  const client = createJobClient({ queue, jobs: [work] });
  for (let i = 0; i < 12; i++) await client.enqueue("work", i);
  const events = await runWorker(
    { queue, jobs: [work], concurrency: 4 },
    (e) => e.filter((x) => x.type === "completed").length === 12,
  );
  equal(peak, 4);
  equal(events.length, 12);
  equal((await queue.stats()).completed, 12);
});

Deno.test("a failed attempt is retried after its backoff, then completes", async () => {
  const queue = new MemoryJobQueue();
  const attempts: number[] = [];
  const flaky = job("flaky", z.object({}), (_, { attempt }) => {
    attempts.push(attempt);
    if (attempt < 3) throw new Error(`boom ${attempt}`);
  }, { retry: { attempts: 5, backoff: "fixed", delay: 40 } });
  const { id } = await createJobClient({ queue, jobs: [flaky] }).enqueue("flaky", {});
  const events = await runWorker(
    { queue, jobs: [flaky] },
    (e) => e.some((x) => x.type === "completed"),
  );
  deepEqual(attempts, [1, 2, 3]);
  deepEqual(events.map((e) => e.type), ["retrying", "retrying", "completed"]);
  const record = (await queue.get(id))!;
  equal(record.state, "completed");
  equal(record.attempts, 3);
  equal(record.lastError, "boom 2");
});

Deno.test("a job that fails its last attempt is dead and can be redriven", async () => {
  const queue = new MemoryJobQueue();
  let fixed = false;
  const broken = job("broken", z.object({}), () => {
    if (!fixed) throw new Error("still broken");
  }, { retry: { attempts: 2, delay: 10 } });
  const { id } = await createJobClient({ queue, jobs: [broken] }).enqueue("broken", {});
  await runWorker({ queue, jobs: [broken] }, (e) => e.some((x) => x.type === "dead"));
  let record = (await queue.get(id))!;
  equal(record.state, "dead");
  equal(record.attempts, 2);
  equal(record.lastError, "still broken");
  deepEqual((await queue.list({ state: "dead" })).items.map((j) => j.id), [id]);
  fixed = true;
  ok(await queue.retry(id));
  await runWorker({ queue, jobs: [broken] }, (e) => e.some((x) => x.type === "completed"));
  record = (await queue.get(id))!;
  equal(record.state, "completed");
  equal(record.attempts, 1, "a redrive starts with fresh attempts");
});

Deno.test("an attempt that outlives its timeout is aborted and fails", async () => {
  const queue = new MemoryJobQueue();
  let sawAbort: unknown;
  const slow = job("slow", z.object({}), async (_, { signal }) => {
    await new Promise((_, reject) => {
      signal.addEventListener("abort", () => {
        sawAbort = signal.reason;
        reject(signal.reason);
      });
    });
  }, { timeout: 50, retry: { attempts: 1 } });
  const { id } = await createJobClient({ queue, jobs: [slow] }).enqueue("slow", {});
  const events = await runWorker({ queue, jobs: [slow] }, (e) => e.some((x) => x.type === "dead"));
  equal((sawAbort as { code?: string }).code, "WORKERS_JOB_TIMEOUT");
  ok(events[0]!.error!.includes("timed out after 50 ms"));
  equal((await queue.get(id))!.state, "dead");
});

Deno.test("a handler that ignores its signal still has its attempt failed at the timeout", async () => {
  const queue = new MemoryJobQueue();
  const stubborn = job("stubborn", z.object({}), () => sleep(400), {
    timeout: 30,
    retry: { attempts: 1 },
  });
  await createJobClient({ queue, jobs: [stubborn] }).enqueue("stubborn", {});
  const events = await runWorker(
    { queue, jobs: [stubborn] },
    (e) => e.some((x) => x.type === "dead"),
  );
  ok(events[0]!.durationMs < 300, `failed at the timeout (${events[0]!.durationMs} ms)`);
  await sleep(400);
});

Deno.test("higher priority runs first; a job's own concurrency limit holds", async () => {
  const queue = new MemoryJobQueue();
  const order: string[] = [];
  let exportsNow = 0;
  let exportsPeak = 0;
  const task = job("task", z.string(), (label) => {
    order.push(label);
  });
  const exporter = job("export", z.number(), async () => {
    exportsPeak = Math.max(exportsPeak, ++exportsNow);
    await sleep(15);
    exportsNow--;
  }, { concurrency: 2 });
  const client = createJobClient({ queue, jobs: [task, exporter] });
  await client.enqueue("task", "low");
  await client.enqueue("task", "high", { priority: 10 });
  await client.enqueue("task", "middle", { priority: 5 });
  await runWorker(
    { queue, jobs: [task], concurrency: 1 },
    (e) => e.length === 3,
  );
  deepEqual(order, ["high", "middle", "low"]);
  for (let i = 0; i < 8; i++) await client.enqueue("export", i);
  await runWorker(
    { queue, jobs: [task, exporter], concurrency: 6 },
    (e) => e.length === 8,
  );
  equal(exportsPeak, 2);
});

Deno.test("a job's own concurrency limit holds across workers sharing a store", async () => {
  const queue = new MemoryJobQueue();
  let now = 0;
  let peak = 0;
  const report = job("report", z.number(), async () => {
    peak = Math.max(peak, ++now);
    await sleep(15);
    now--;
  }, { concurrency: 1 });
  const client = createJobClient({ queue, jobs: [report] });
  for (let i = 0; i < 6; i++) await client.enqueue("report", i);
  let completed = 0;
  const workers = [1, 2, 3].map(() =>
    createWorker({
      queue,
      jobs: [report],
      concurrency: 4,
      pollMs: 10,
      logger: quiet,
      onEvent: (e) => e.type === "completed" && completed++,
    })
  );
  const running = workers.map((worker) => worker.start());
  const deadline = Date.now() + 10_000;
  while (completed < 6 && Date.now() < deadline) await sleep(5);
  await Promise.all(workers.map((worker) => worker.stop()));
  await Promise.all(running);
  equal(completed, 6);
  equal(peak, 1, "never two reports at once, though three workers had room");
});

Deno.test("a delayed job runs at its time, not before", async () => {
  const queue = new MemoryJobQueue();
  let ranAt = 0;
  const later = job("later", z.object({}), () => {
    ranAt = Date.now();
  });
  const runAt = new Date(Date.now() + 200);
  await createJobClient({ queue, jobs: [later] }).enqueue("later", {}, { runAt });
  await runWorker({ queue, jobs: [later] }, (e) => e.length === 1);
  ok(ranAt >= runAt.getTime(), "not before runAt");
});

Deno.test("stop lets running jobs finish, then gives back the rest without counting the attempt", async () => {
  const queue = new MemoryJobQueue();
  const quick = job("quick", z.object({}), () => sleep(20));
  const endless = job(
    "endless",
    z.object({}),
    (_, { signal }) => new Promise((resolve) => signal.addEventListener("abort", resolve)),
  );
  const client = createJobClient({ queue, jobs: [quick, endless] });
  const q = await client.enqueue("quick", {});
  const e = await client.enqueue("endless", {});
  const events: WorkerEvent[] = [];
  const worker = createWorker({
    queue,
    jobs: [quick, endless],
    concurrency: 2,
    shutdownGraceMs: 100,
    pollMs: 20,
    logger: quiet,
    onEvent: (x) => events.push(x),
  });
  const running = worker.start();
  while (worker.running < 2) await sleep(5);
  await worker.stop();
  await running;
  equal(worker.running, 0);
  equal((await queue.get(q.id))!.state, "completed");
  const given: JobRecord = (await queue.get(e.id))!;
  equal(given.state, "queued");
  equal(given.attempts, 0);
  deepEqual(events.map((x) => x.type).sort(), ["completed", "released"]);
});

Deno.test("heartbeats keep a long job's lease; a lost lease aborts the attempt", async () => {
  const queue = new MemoryJobQueue();
  const long = job("long", z.object({}), () => sleep(250));
  const { id } = await createJobClient({ queue, jobs: [long] }).enqueue("long", {});
  await runWorker(
    { queue, jobs: [long], leaseMs: 90, heartbeatMs: 30 },
    (e) => e.some((x) => x.type === "completed"),
  );
  equal((await queue.get(id))!.attempts, 1, "never reclaimed while it ran");

  let aborted: unknown;
  const watched = job("watched", z.object({}), (_, { signal }) =>
    new Promise((resolve) => {
      signal.addEventListener("abort", () => {
        aborted = signal.reason;
        resolve(undefined);
      });
    }));
  const other = await createJobClient({ queue, jobs: [watched] }).enqueue("watched", {});
  const stolen = runWorker(
    { queue, jobs: [watched], leaseMs: 60_000, heartbeatMs: 20 },
    (e) => e.some((x) => x.type === "lease-lost"),
  );
  while ((await queue.get(other.id))!.state !== "running") await sleep(5);
  const owner = (await queue.get(other.id))!.leaseOwner!;
  // Another worker takes the job over in the same turn, as after a lapsed lease.
  const released = queue.release(other.id, owner);
  const taken = queue.claim({ workerId: "thief", limit: 1, leaseMs: 60_000, names: ["watched"] });
  ok(await released);
  equal((await taken)[0]!.id, other.id);
  await stolen;
  equal((aborted as { code?: string }).code, "WORKERS_LEASE_LOST");
});

Deno.test("a job whose stored input no longer matches its schema dies without retrying", async () => {
  const queue = new MemoryJobQueue();
  const strict = job("strict", z.object({ n: z.number() }), () => {}, { retry: { attempts: 5 } });
  const { id } = await queue.enqueue({ name: "strict", input: { n: "nope" }, maxAttempts: 5 });
  const events = await runWorker({ queue, jobs: [strict] }, (e) => e.length === 1);
  equal(events[0]!.type, "dead");
  equal((await queue.get(id))!.attempts, 1);
});

Deno.test("each attempt's span continues the enqueuer's trace", async () => {
  const exporter = useInMemoryTracing();
  exporter.reset();
  const queue = new MemoryJobQueue();
  const traced = job("traced", z.object({}), () => {});
  const client = createJobClient({ queue, jobs: [traced] });
  const traceId = await withSpan("enqueue request", async (span) => {
    await client.enqueue("traced", {});
    return span.spanContext().traceId;
  });
  await runWorker({ queue, jobs: [traced] }, (e) => e.length === 1);
  const [span] = spansNamed("job traced");
  equal(span!.spanContext().traceId, traceId);
  equal(span!.attributes["netscript.job.name"], "traced");
});

Deno.test("a job reclaimed after its worker died during the last attempt dies without running", async () => {
  const queue = new MemoryJobQueue();
  let ran = false;
  const once = job("once", z.object({}), () => {
    ran = true;
  }, { retry: { attempts: 1 } });
  const { id } = await queue.enqueue({ name: "once", input: {}, maxAttempts: 1 });
  await queue.claim({ workerId: "crashed", limit: 1, leaseMs: 10, names: ["once"] });
  await sleep(20);
  const events = await runWorker({ queue, jobs: [once] }, (e) => e.length === 1);
  equal(events[0]!.type, "dead");
  equal(ran, false);
  const record = (await queue.get(id))!;
  equal(record.state, "dead");
  ok(record.lastError!.includes("no attempts left"));
});

/** Waits until `done()` holds, polling; fails after 10 s. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("the condition was not reached");
    await sleep(2);
  }
}

/** A job whose attempts each run until released, counting how many run at once. */
function gate(name: string) {
  const waiting: (() => void)[] = [];
  const state = {
    now: 0,
    peak: 0,
    /** Lets the attempts running now finish. */
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
  const definition = job(name, z.number(), async () => {
    state.peak = Math.max(state.peak, ++state.now);
    await new Promise<void>((resolve) => waiting.push(resolve));
    state.now--;
  });
  return { state, definition };
}

Deno.test("configure() raises a running worker's concurrency: 1 → 3 jobs run at once", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 3; i++) await client.enqueue("gated", i);
  const worker = createWorker({ queue, jobs: [definition], pollMs: 60_000, logger: quiet });
  const running = worker.start();
  await until(() => state.now === 1);
  equal(state.peak, 1);
  worker.configure({ concurrency: 3 });
  await until(() => state.now === 3);
  equal(worker.running, 3);
  state.release();
  await until(async () => (await queue.stats()).completed === 3);
  await worker.stop();
  await running;
});

Deno.test("configure() lowering the concurrency lets running jobs finish, then claims no more than the new limit", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 5; i++) await client.enqueue("gated", i);
  const worker = createWorker({
    queue,
    jobs: [definition],
    concurrency: 3,
    pollMs: 20,
    logger: quiet,
  });
  const running = worker.start();
  await until(() => state.now === 3);
  worker.configure({ concurrency: 1 });
  state.peak = 0;
  state.release();
  for (const completed of [3, 4]) {
    await until(async () => (await queue.stats()).completed === completed && state.now === 1);
    await sleep(20);
    equal(worker.running, 1, "one job at a time after the change");
    state.release();
  }
  await until(async () => (await queue.stats()).completed === 5);
  await worker.stop();
  await running;
  equal(state.peak, 1);
});

Deno.test("configure() applies a new pollMs to the next wait", async () => {
  const queue = new MemoryJobQueue();
  let ran = false;
  const later = job("later", z.object({}), () => {
    ran = true;
  });
  await createJobClient({ queue, jobs: [later] }).enqueue("later", {}, {
    runAt: new Date(Date.now() + 50),
  });
  const worker = createWorker({ queue, jobs: [later], pollMs: 600_000, logger: quiet });
  const running = worker.start();
  await sleep(60);
  equal(ran, false, "a due job waits for the next poll");
  worker.configure({ pollMs: 5 });
  await until(() => ran);
  await worker.stop();
  await running;
});

Deno.test("configure() applies a new leaseMs to the next claims and heartbeats", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  const first = await client.enqueue("gated", 1);
  const worker = createWorker({
    queue,
    jobs: [definition],
    concurrency: 2,
    leaseMs: 600_000,
    pollMs: 10,
    logger: quiet,
  });
  const running = worker.start();
  await until(() => state.now === 1);
  ok((await queue.get(first.id))!.leaseExpiresAt!.getTime() > Date.now() + 300_000);
  worker.configure({ leaseMs: 90 });
  const second = await client.enqueue("gated", 2);
  await until(() => state.now === 2);
  const claimed = (await queue.get(second.id))!;
  equal(
    claimed.leaseExpiresAt!.getTime() - claimed.updatedAt.getTime(),
    90,
    "claimed with the new lease",
  );
  // Heartbeats now run every 30 ms and extend by 90 ms: the first lease shrinks to that.
  await until(async () =>
    (await queue.get(first.id))!.leaseExpiresAt!.getTime() < Date.now() + 1_000
  );
  state.release();
  await until(async () => (await queue.stats()).completed === 2);
  equal((await queue.get(first.id))!.attempts, 1, "never reclaimed");
  await worker.stop();
  await running;
});

Deno.test("configure() refuses invalid limits with a RangeError and keeps the old ones", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const worker = createWorker({ queue, jobs: [definition], pollMs: 10, logger: quiet });
  for (const limits of [{ concurrency: 0 }, { concurrency: 2.5 }, { pollMs: -5 }, { leaseMs: 1 }]) {
    throws(() => worker.configure(limits), RangeError, JSON.stringify(limits));
  }
  throws(() => worker.configure({ concurrency: 2, pollMs: 0 }), /pollMs must be an integer/);
  throws(() => createWorker({ queue, jobs: [definition], concurrency: -1 }), RangeError);
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 2; i++) await client.enqueue("gated", i);
  const running = worker.start();
  await until(() => state.now === 1);
  await sleep(30);
  equal(state.now, 1, "concurrency 2 of the refused change did not apply");
  state.release();
  await until(async () => (await queue.stats()).completed === 1 && state.now === 1);
  state.release();
  await until(async () => (await queue.stats()).completed === 2);
  await worker.stop();
  await running;
});

/** A memory queue that counts the claims that returned jobs. */
function countingClaims(queue: MemoryJobQueue) {
  const counts = { claims: 0 };
  const claim = queue.claim.bind(queue);
  queue.claim = async (options) => {
    const jobs = await claim(options);
    if (jobs.length > 0) counts.claims++;
    return jobs;
  };
  return counts;
}

Deno.test("claimAhead holds leased jobs beyond the running ones and starts them as slots free", async () => {
  const queue = new MemoryJobQueue();
  const counts = countingClaims(queue);
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 30; i++) await client.enqueue("gated", i);
  const worker = createWorker({
    queue,
    jobs: [definition],
    concurrency: 2,
    claimAhead: 10,
    pollMs: 20,
    logger: quiet,
  });
  const running = worker.start();
  await until(() => state.now === 2);
  equal((await queue.stats()).running, 12, "2 running and 10 claimed ahead, all leased");
  equal(worker.running, 2);
  while ((await queue.stats()).completed < 30) {
    state.release();
    await sleep(2);
  }
  await worker.stop();
  await running;
  equal(state.peak, 2, "never more than the concurrency at once");
  ok(counts.claims < 10, `30 jobs in a few claims, not one per freed slot (${counts.claims})`);
});

Deno.test("stop gives the jobs claimed ahead back at once, without counting the attempt", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 10; i++) await client.enqueue("gated", i);
  const events: WorkerEvent[] = [];
  const worker = createWorker({
    queue,
    jobs: [definition],
    concurrency: 1,
    claimAhead: 5,
    pollMs: 20,
    shutdownGraceMs: 5_000,
    logger: quiet,
    onEvent: (event) => events.push(event),
  });
  const running = worker.start();
  await until(async () => state.now === 1 && (await queue.stats()).running === 6);
  const stopped = worker.stop();
  await until(() => events.filter((e) => e.type === "released").length === 5);
  state.release();
  await stopped;
  await running;
  const stats = await queue.stats();
  equal(stats.completed, 1, "the running job finished in the grace period");
  equal(stats.queued, 9, "nothing claimed ahead started after stop()");
  const { items } = await queue.list({ state: "queued" });
  deepEqual(items.map((job) => job.attempts), Array(9).fill(0));
});

Deno.test("configure() lowering claimAhead gives back the jobs beyond it", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 20; i++) await client.enqueue("gated", i);
  const worker = createWorker({
    queue,
    jobs: [definition],
    concurrency: 1,
    claimAhead: 8,
    pollMs: 20,
    shutdownGraceMs: 0,
    logger: quiet,
  });
  const running = worker.start();
  await until(async () => (await queue.stats()).running === 9);
  worker.configure({ claimAhead: 2 });
  await until(async () => (await queue.stats()).running === 3);
  worker.configure({ claimAhead: 0 });
  await until(async () => (await queue.stats()).running === 1);
  const { items } = await queue.list({ state: "queued" });
  equal(items.length, 19);
  ok(items.every((job) => job.attempts === 0), "no attempt counted for the jobs given back");
  await worker.stop();
  await running;
  equal(state.peak, 1);
});

Deno.test("heartbeats keep the leases of jobs claimed ahead", async () => {
  const queue = new MemoryJobQueue();
  const { state, definition } = gate("gated");
  const client = createJobClient({ queue, jobs: [definition] });
  for (let i = 0; i < 4; i++) await client.enqueue("gated", i);
  const worker = createWorker({
    queue,
    jobs: [definition],
    concurrency: 1,
    claimAhead: 3,
    leaseMs: 60,
    pollMs: 20,
    logger: quiet,
  });
  const running = worker.start();
  await until(async () => (await queue.stats()).running === 4);
  await sleep(200);
  const taken = await queue.claim({
    workerId: "other",
    limit: 4,
    leaseMs: 1_000,
    names: ["gated"],
  });
  equal(taken.length, 0, "no lease ran out while the jobs waited in the local queue");
  while ((await queue.stats()).completed < 4) {
    state.release();
    await sleep(2);
  }
  await worker.stop();
  await running;
});
