import { isNetScriptError } from "@netscript/contracts/errors";
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { JOB_STATES, type JobStats, reportedState } from "../../ports/job_queue.ts";
import { assertKindLimitShared, jobQueueConformance } from "../../testing/mod.ts";
import { KvJobQueue, openKvJobQueue } from "./mod.ts";

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-queue-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("KvJobQueue conforms to the job queue port, on a fresh KV file per step", (t) =>
  withTempDir(async (dir) => {
    let files = 0;
    await jobQueueConformance(t, () => openKvJobQueue(`${dir}/step-${files++}.sqlite3`));
  }));

Deno.test("KvJobQueue: two handles on one file keep a kindLimit together", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/queue.sqlite3`;
    const queues = await Promise.all([openKvJobQueue(path), openKvJobQueue(path)]);
    try {
      await assertKindLimitShared(queues);
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
  }));

Deno.test("KvJobQueue leaves a handle it was given open", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  await queue.enqueue({ name: "x", input: null });
  await queue.close();
  ok((await kv.get(["workers", "signal"])).versionstamp !== null, "the handle still reads");
  kv.close();
});

Deno.test("KvJobQueue keeps two prefixes of one file apart", async () => {
  const kv = await Deno.openKv(":memory:");
  const a = new KvJobQueue(kv, { prefix: ["a"] });
  const b = new KvJobQueue(kv, { prefix: ["b"] });
  await a.enqueue({ name: "x", input: 1 });
  equal((await b.list()).total, 0);
  deepEqual(await b.claim({ workerId: "w", limit: 5, leaseMs: 5000, names: ["x"] }), []);
  equal((await a.claim({ workerId: "w", limit: 5, leaseMs: 5000, names: ["x"] })).length, 1);
  kv.close();
});

Deno.test("KvJobQueue.enqueueMany() chunks a large batch and deduplicates across chunks", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  const jobs = Array.from({ length: 230 }, (_, i) => ({
    name: "x",
    input: "y".repeat(10_000),
    uniqueKey: `k${i % 200}`,
  }));
  const added = await queue.enqueueMany(jobs);
  equal(added.length, 230);
  equal(added.filter((a) => !a.deduplicated).length, 200);
  for (let i = 200; i < 230; i++) {
    deepEqual(added[i], { id: added[i - 200]!.id, deduplicated: true });
  }
  equal((await queue.stats()).queued, 200);
  kv.close();
});

Deno.test("KvJobQueue.enqueue() refuses an input over Deno KV's value limit with WORKERS_INPUT_TOO_LARGE", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  await rejects(
    queue.enqueue({ name: "big", input: "z".repeat(70_000) }),
    (error: Error) =>
      isNetScriptError(error, "WORKERS_INPUT_TOO_LARGE") && error.message.includes('job "big"'),
  );
  equal((await queue.list()).total, 0);
  kv.close();
});

Deno.test("KvJobQueue.fail() keeps the start of a very long error", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  const { id } = await queue.enqueue({ name: "x", input: "y".repeat(60_000) });
  await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
  ok(await queue.fail(id, "w", "e".repeat(100_000), null));
  equal((await queue.get(id))!.lastError!.length, 8192);
  kv.close();
});

Deno.test("KvJobQueue lists queued and scheduled jobs apart, by name too", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  const later = new Date(Date.now() + 60_000);
  const now = await queue.enqueue({ name: "a", input: 1 });
  const soon = await queue.enqueue({ name: "a", input: 2, runAt: new Date(Date.now() + 150) });
  const far = await queue.enqueue({ name: "b", input: 3, runAt: later });
  deepEqual((await queue.list({ state: "scheduled" })).items.map((j) => j.id), [far.id, soon.id]);
  deepEqual(await queue.list({ state: "queued", name: "a" }).then((p) => p.total), 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const queued = await queue.list({ state: "queued" });
  deepEqual(queued.items.map((j) => j.id), [soon.id, now.id]);
  equal(queued.total, 2);
  deepEqual(await queue.list({ state: "scheduled", name: "b" }).then((p) => p.total), 1);
  kv.close();
});

/** Counts every job's reported state from the job records themselves. */
async function recount(kv: Deno.Kv): Promise<JobStats> {
  const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<
    string,
    number
  >;
  const now = new Date();
  for await (
    const { value } of kv.list<{ state: "queued"; runAt: Date }>({ prefix: ["workers", "job"] })
  ) {
    counts[reportedState(value.state, value.runAt, now)]!++;
  }
  return counts as JobStats;
}

Deno.test("KvJobQueue counters equal a recount after a concurrent run on one file", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/queue.sqlite3`;
    const queues = await Promise.all([openKvJobQueue(path), openKvJobQueue(path)]);
    try {
      await queues[0]!.enqueueMany(Array.from({ length: 200 }, (_, i) => ({
        name: i % 3 === 0 ? "a" : "b",
        input: i,
        maxAttempts: 3,
        ...(i % 10 === 0 ? { runAt: new Date(Date.now() + 60_000) } : {}),
      })));
      const run = async (queue: KvJobQueue, workerId: string) => {
        for (let round = 0;; round++) {
          const jobs = await queue.claim({ workerId, limit: 7, leaseMs: 5000, names: ["a", "b"] });
          if (jobs.length === 0) return;
          for (const job of jobs) ok(job.runAt.getTime() <= Date.now(), "never claimed early");
          await Promise.all(jobs.map((job, i) => {
            switch ((round + i) % 5) {
              case 0:
                return queue.fail(job.id, workerId, "again", job.attempts < 3 ? new Date() : null);
              case 1:
                return queue.fail(job.id, workerId, "later", new Date(Date.now() + 60_000));
              case 2:
                return queue.release(job.id, workerId).then(() => queue.cancel(job.id));
              default:
                return queue.complete(job.id, workerId);
            }
          }));
        }
      };
      await Promise.all([
        run(queues[0]!, "w1"),
        run(queues[0]!, "w2"),
        run(queues[1]!, "w3"),
        run(queues[1]!, "w4"),
        ...Array.from({ length: 20 }, () => queues[1]!.enqueue({ name: "b", input: "late" })),
      ]);
      const kv = await Deno.openKv(path);
      try {
        const stats = await queues[1]!.stats();
        deepEqual(stats, await recount(kv));
        equal(Object.values(stats).reduce((sum, n) => sum + n, 0), 220);
        for (const state of JOB_STATES) {
          equal((await queues[0]!.list({ state })).total, stats[state], state);
        }
      } finally {
        kv.close();
      }
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
  }));

Deno.test("KvJobQueue.claim() never takes a job through a ready entry that went stale meanwhile", async () => {
  const kv = await Deno.openKv(":memory:");
  const gate = Promise.withResolvers<void>();
  let reading: () => void = () => {};
  const paused = new Promise<void>((resolve) => reading = resolve);
  const slowReads = new Proxy(kv, {
    get(target, property) {
      if (property === "getMany") {
        return async (keys: Deno.KvKey[]) => {
          reading();
          await gate.promise;
          return target.getMany(keys);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const slow = new KvJobQueue(slowReads);
  const fast = new KvJobQueue(kv);
  const { id } = await fast.enqueue({ name: "x", input: null, maxAttempts: 2 });
  const claiming = slow.claim({ workerId: "slow", limit: 1, leaseMs: 5000, names: ["x"] });
  await paused;
  await fast.claim({ workerId: "fast", limit: 1, leaseMs: 5000, names: ["x"] });
  ok(await fast.fail(id, "fast", "boom", new Date(Date.now() + 60_000)));
  gate.resolve();
  deepEqual(await claiming, [], "the job waits for its retry time");
  equal((await fast.get(id))!.state, "failed");
  deepEqual(await fast.stats(), await recount(kv));
  kv.close();
});

Deno.test("KvJobQueue.completeMany() completes more jobs than one operation takes while their leases are renewed", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  try {
    await queue.enqueueMany(Array.from({ length: 25 }, (_, i) => ({ name: "x", input: i })));
    const ids = (await queue.claim({ workerId: "w", limit: 25, leaseMs: 60_000, names: ["x"] }))
      .map(({ id }) => id);
    equal(ids.length, 25);
    const [completed] = await Promise.all([
      queue.completeMany(ids, "w"),
      queue.heartbeat("w", ids, 120_000),
    ]);
    deepEqual(completed, ids, "every job completed, in the order given");
    const stats = await queue.stats();
    deepEqual([stats.running, stats.completed], [0, 25]);
    deepEqual(await queue.completeMany(ids, "w"), [], "a completed job is no longer held");
  } finally {
    kv.close();
  }
});
