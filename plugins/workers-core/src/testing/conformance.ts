import { deepEqual, equal, notEqual, ok, rejects } from "node:assert/strict";
import {
  MAX_ATTEMPTS,
  MAX_PRIORITY,
  MAX_RUN_AT,
  MAX_UNIQUE_KEY_LENGTH,
  MIN_PRIORITY,
} from "../ports/job_limits.ts";
import type { JobQueue, NewJob, ScheduleStore } from "../ports/job_queue.ts";
import { enqueueOnceSteps } from "./_enqueue_once_steps.ts";
import { stateEventSteps } from "./_state_event_steps.ts";

/** A store under test: a queue and a schedule store, fresh and empty. */
export type StoreUnderTest = JobQueue & ScheduleStore;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every job queue adapter must have, as test steps: run it
 * from an adapter's test with a factory that returns a fresh, empty store
 * (one per step). Timing-dependent steps use leases and delays of a few
 * hundred milliseconds.
 *
 * @param t The test context.
 * @param fresh Returns a new, empty store.
 *
 * @example
 * ```ts ignore
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { jobQueueConformance } from "@netscript/plugin-workers-core/testing";
 *
 * Deno.test("the memory queue conforms", (t) =>
 *   jobQueueConformance(t, () => Promise.resolve(new MemoryJobQueue())));
 * ```
 */
export async function jobQueueConformance(
  t: Deno.TestContext,
  fresh: () => Promise<StoreUnderTest>,
): Promise<void> {
  const step = (name: string, body: (queue: StoreUnderTest) => Promise<void>) =>
    t.step(name, async () => {
      const queue = await fresh();
      try {
        await body(queue);
      } finally {
        await queue.close();
      }
    });

  await step("enqueue stores the job as given", async (queue) => {
    const before = Date.now();
    const { id, deduplicated } = await queue.enqueue({
      name: "email",
      input: { to: "a@example.com", tags: ["x"] },
      priority: 3,
      maxAttempts: 4,
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    equal(deduplicated, false);
    const job = (await queue.get(id))!;
    equal(job.id, id);
    equal(job.name, "email");
    deepEqual(job.input, { to: "a@example.com", tags: ["x"] });
    equal(job.state, "queued");
    equal(job.priority, 3);
    equal(job.attempts, 0);
    equal(job.maxAttempts, 4);
    equal(job.traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    ok(job.createdAt.getTime() >= before - 1000 && job.runAt.getTime() <= Date.now() + 1000);
    equal(await queue.get(crypto.randomUUID()), null);
  });

  await step("a priority or attempt count that is not a whole number is refused", async (queue) => {
    await rejects(queue.enqueue({ name: "x", input: 1, priority: 1.5 }), RangeError);
    await rejects(queue.enqueue({ name: "x", input: 1, maxAttempts: 0 }), RangeError);
    await rejects(
      queue.enqueueMany([{ name: "x", input: 1 }, { name: "x", input: 2, maxAttempts: 2.5 }]),
      RangeError,
    );
    equal((await queue.list()).total, 0, "nothing of a refused batch is stored");
  });

  await step("a job no store can keep is refused before anything is written", async (queue) => {
    const refused: NewJob[] = [
      { name: "x", input: 1, priority: MAX_PRIORITY + 1 },
      { name: "x", input: 1, priority: MIN_PRIORITY - 1 },
      { name: "x", input: 1, maxAttempts: MAX_ATTEMPTS + 1 },
      { name: "x", input: 1, runAt: new Date("0000-12-31T00:00:00.000Z") },
      { name: "x", input: 1, uniqueKey: "k".repeat(MAX_UNIQUE_KEY_LENGTH + 1) },
      { name: "x", input: 1, uniqueKey: "\u{1F600}".repeat(MAX_UNIQUE_KEY_LENGTH + 1) },
      { name: "x", input: 1, uniqueKey: "a\u0000b" },
      { name: "x\u0000", input: 1 },
      { name: "x", input: { text: "a\u0000b" } },
      { name: "x", input: ["\uD800"] },
      { name: "x", input: { "\uDC00": 1 } },
    ];
    for (const job of refused) {
      await rejects(queue.enqueue(job), RangeError, JSON.stringify(job));
    }
    await rejects(queue.enqueueMany([{ name: "x", input: 1 }, refused[0]!]), RangeError);
    equal((await queue.list()).total, 0, "nothing of a refused batch is stored");
    const edge = await queue.enqueue({
      name: "x",
      input: { text: "\u{1F600} é \uFFFD" },
      priority: MAX_PRIORITY,
      uniqueKey: "\u{1F600}".repeat(MAX_UNIQUE_KEY_LENGTH),
      runAt: MAX_RUN_AT,
    });
    const stored = (await queue.get(edge.id))!;
    equal(stored.priority, MAX_PRIORITY);
    deepEqual(stored.input, { text: "\u{1F600} é \uFFFD" });
    equal(stored.uniqueKey, "\u{1F600}".repeat(MAX_UNIQUE_KEY_LENGTH));
    equal(stored.runAt.getTime(), MAX_RUN_AT.getTime());
    equal(
      (await queue.get((await queue.enqueue({ name: "x", input: 1, priority: MIN_PRIORITY })).id))!
        .priority,
      MIN_PRIORITY,
    );
  });

  await step("an error with a NUL or a lone surrogate is recorded, replaced", async (queue) => {
    const { id } = await queue.enqueue({ name: "x", input: null, maxAttempts: 2 });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
    ok(await queue.fail(id, "w", "bad\u0000byte \uD800", new Date(Date.now() + 60_000)));
    equal((await queue.get(id))!.lastError, "bad\uFFFDbyte \uFFFD");
    equal((await queue.get(id))!.state, "failed");
  });

  await step("a uniqueKey deduplicates only while the job is unfinished", async (queue) => {
    const first = await queue.enqueue({ name: "sync", input: 1, uniqueKey: "user:1" });
    const again = await queue.enqueue({ name: "sync", input: 2, uniqueKey: "user:1" });
    deepEqual(again, { id: first.id, deduplicated: true });
    const other = await queue.enqueue({ name: "sync", input: 3, uniqueKey: "user:2" });
    notEqual(other.id, first.id);
    const [claimed] = await queue.claim({
      workerId: "w",
      limit: 1,
      leaseMs: 5000,
      names: ["sync"],
    });
    equal(claimed!.id, first.id);
    deepEqual(
      await queue.enqueue({ name: "sync", input: 4, uniqueKey: "user:1" }),
      { id: first.id, deduplicated: true },
      "still unfinished while running",
    );
    ok(await queue.complete(first.id, "w"));
    const after = await queue.enqueue({ name: "sync", input: 5, uniqueKey: "user:1" });
    equal(after.deduplicated, false);
    notEqual(after.id, first.id);
  });

  await enqueueOnceSteps(step);
  await stateEventSteps(step);

  await step(
    "claim takes priority, then runAt, then age, within the names and limit",
    async (queue) => {
      const past = new Date(Date.now() - 60_000);
      const low = await queue.enqueue({ name: "a", input: "low" });
      const high = await queue.enqueue({ name: "a", input: "high", priority: 10 });
      const early = await queue.enqueue({ name: "a", input: "early", runAt: past });
      const other = await queue.enqueue({ name: "b", input: "other", priority: 99 });
      const claimed = await queue.claim({ workerId: "w", limit: 2, leaseMs: 5000, names: ["a"] });
      deepEqual(claimed.map((j) => j.id), [high.id, early.id]);
      for (const job of claimed) {
        equal(job.state, "running");
        equal(job.attempts, 1);
        equal(job.leaseOwner, "w");
        ok(job.leaseExpiresAt!.getTime() > Date.now());
      }
      const rest = await queue.claim({ workerId: "w", limit: 10, leaseMs: 5000, names: ["a"] });
      deepEqual(rest.map((j) => j.id), [low.id]);
      equal((await queue.get(other.id))!.state, "queued", "names outside the list are left");
    },
  );

  await step("a job with a future runAt is scheduled until then", async (queue) => {
    const { id } = await queue.enqueue({
      name: "later",
      input: null,
      runAt: new Date(Date.now() + 300),
    });
    equal((await queue.get(id))!.state, "scheduled");
    deepEqual(await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["later"] }), []);
    await sleep(400);
    equal((await queue.get(id))!.state, "queued");
    const [job] = await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["later"] });
    equal(job!.id, id);
  });

  await step("an expired lease lets another worker reclaim the job", async (queue) => {
    const { id } = await queue.enqueue({ name: "x", input: null, maxAttempts: 5 });
    await queue.claim({ workerId: "dead-worker", limit: 1, leaseMs: 200, names: ["x"] });
    deepEqual(await queue.claim({ workerId: "w2", limit: 1, leaseMs: 5000, names: ["x"] }), []);
    await sleep(300);
    const [job] = await queue.claim({ workerId: "w2", limit: 1, leaseMs: 5000, names: ["x"] });
    equal(job!.id, id);
    equal(job!.attempts, 2);
    equal(await queue.complete(id, "dead-worker"), false, "the old owner cannot finish it");
    equal(await queue.fail(id, "dead-worker", "late", null), false);
    ok(await queue.complete(id, "w2"));
    equal((await queue.get(id))!.state, "completed");
  });

  await step("a heartbeat keeps the lease", async (queue) => {
    const { id } = await queue.enqueue({ name: "x", input: null });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 250, names: ["x"] });
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      deepEqual(await queue.heartbeat("w", [id], 250), [id]);
    }
    deepEqual(await queue.claim({ workerId: "w2", limit: 1, leaseMs: 5000, names: ["x"] }), []);
    deepEqual(await queue.heartbeat("w2", [id], 250), [], "only the owner extends it");
  });

  await step("fail with a retry time waits; fail without one is dead", async (queue) => {
    const { id } = await queue.enqueue({ name: "x", input: null, maxAttempts: 2, uniqueKey: "k" });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
    ok(await queue.fail(id, "w", "boom 1", new Date(Date.now() + 250)));
    let job = (await queue.get(id))!;
    equal(job.state, "failed");
    equal(job.lastError, "boom 1");
    deepEqual(await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] }), []);
    await sleep(350);
    const [again] = await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
    equal(again!.attempts, 2);
    ok(await queue.fail(id, "w", "boom 2", null));
    job = (await queue.get(id))!;
    equal(job.state, "dead");
    equal(job.lastError, "boom 2");
    ok(job.finishedAt !== null);
    equal(
      (await queue.enqueue({ name: "x", input: null, uniqueKey: "k" })).deduplicated,
      false,
      "a dead job frees its uniqueKey",
    );
  });

  await step("completeMany completes the jobs the worker holds, and says which", async (queue) => {
    const added = await queue.enqueueMany(
      ["a", "b", "c", "d"].map((key) => ({ name: "x", input: key, uniqueKey: key })),
    );
    const ids = added.map((job) => job.id);
    await queue.claim({ workerId: "w", limit: 3, leaseMs: 5000, names: ["x"] });
    await queue.claim({ workerId: "other", limit: 1, leaseMs: 5000, names: ["x"] });
    const [first, second, third, theirs] = ids as [string, string, string, string];
    ok(await queue.complete(second, "w"));
    deepEqual(
      await queue.completeMany([third, theirs, second, first], "w"),
      [third, first],
      "the jobs it held, in the order given",
    );
    for (const id of [first, second, third]) {
      const job = (await queue.get(id))!;
      equal(job.state, "completed");
      equal(job.uniqueKey, null);
      ok(job.finishedAt !== null);
    }
    equal((await queue.get(theirs))!.state, "running", "another worker's job is left alone");
    deepEqual(await queue.completeMany([], "w"), []);
    const stats = await queue.stats();
    equal(stats.completed, 3);
    equal(stats.running, 1);
    equal(
      (await queue.enqueue({ name: "x", input: null, uniqueKey: "a" })).deduplicated,
      false,
      "a completed job frees its uniqueKey",
    );
  });

  await step("release gives the job back without counting the attempt", async (queue) => {
    const { id } = await queue.enqueue({ name: "x", input: null });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
    ok(await queue.release(id, "w"));
    const job = (await queue.get(id))!;
    equal(job.state, "queued");
    equal(job.attempts, 0);
    equal(job.leaseOwner, null);
    equal(await queue.release(id, "w"), false, "no longer held");
  });

  await step("cancel applies to waiting jobs only", async (queue) => {
    const waiting = await queue.enqueue({ name: "x", input: null });
    const running = await queue.enqueue({ name: "y", input: null });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["y"] });
    ok(await queue.cancel(waiting.id));
    equal((await queue.get(waiting.id))!.state, "cancelled");
    equal(await queue.cancel(waiting.id), false);
    equal(await queue.cancel(running.id), false);
    equal(await queue.cancel(crypto.randomUUID()), false);
    deepEqual(await queue.claim({ workerId: "w", limit: 5, leaseMs: 5000, names: ["x"] }), []);
  });

  await step(
    "retry runs a dead, failed or cancelled job again with fresh attempts",
    async (queue) => {
      const { id } = await queue.enqueue({ name: "x", input: null, maxAttempts: 1 });
      await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
      await queue.fail(id, "w", "boom", null);
      ok(await queue.retry(id));
      let job = (await queue.get(id))!;
      equal(job.state, "queued");
      equal(job.attempts, 0);
      equal(job.finishedAt, null);
      equal(await queue.retry(id), false, "a queued job is not retried");
      const [claimed] = await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["x"] });
      equal(claimed!.id, id);
      ok(await queue.complete(id, "w"));
      equal(await queue.retry(id), false, "a completed job is not retried");
      const cancelled = await queue.enqueue({ name: "x", input: null });
      await queue.cancel(cancelled.id);
      ok(await queue.retry(cancelled.id));
      job = (await queue.get(cancelled.id))!;
      equal(job.state, "queued");
    },
  );

  await step("list filters by state and name, newest first, with a total", async (queue) => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await queue.enqueue({ name: i % 2 ? "odd" : "even", input: i })).id);
      await sleep(2);
    }
    const all = await queue.list();
    equal(all.total, 5);
    deepEqual(all.items.map((j) => j.id), [...ids].reverse());
    const even = await queue.list({ name: "even", limit: 2, offset: 1 });
    equal(even.total, 3);
    deepEqual(even.items.map((j) => j.id), [ids[2], ids[0]]);
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["odd"] });
    const running = await queue.list({ state: "running" });
    deepEqual(running.items.map((j) => j.id), [ids[1]]);
  });

  await step("stats count every state", async (queue) => {
    await queue.enqueue({ name: "x", input: 1 });
    await queue.enqueue({ name: "x", input: 2, runAt: new Date(Date.now() + 60_000) });
    const done = await queue.enqueue({ name: "y", input: 3 });
    const dead = await queue.enqueue({ name: "z", input: 4 });
    const cancelled = await queue.enqueue({ name: "c", input: 5 });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["y"] });
    await queue.complete(done.id, "w");
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["z"] });
    await queue.fail(dead.id, "w", "boom", null);
    await queue.cancel(cancelled.id);
    await queue.enqueue({ name: "r", input: 6 });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["r"] });
    const failed = await queue.enqueue({ name: "f", input: 7, maxAttempts: 2 });
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["f"] });
    await queue.fail(failed.id, "w", "boom", new Date(Date.now() + 60_000));
    deepEqual(await queue.stats(), {
      queued: 1,
      scheduled: 1,
      running: 1,
      completed: 1,
      failed: 1,
      dead: 1,
      cancelled: 1,
    });
  });

  await step("enqueueMany adds every job", async (queue) => {
    const added = await queue.enqueueMany([
      { name: "x", input: 1 },
      { name: "x", input: 2, uniqueKey: "u" },
      { name: "x", input: 3, uniqueKey: "u" },
    ]);
    equal(added.length, 3);
    equal(added[2]!.id, added[1]!.id);
    equal(added[2]!.deduplicated, true);
    equal((await queue.list()).total, 2);
  });

  await step("concurrent claims never hand one job to two workers", async (queue) => {
    await queue.enqueueMany(Array.from({ length: 40 }, (_, i) => ({ name: "x", input: i })));
    const batches = await Promise.all(
      Array.from(
        { length: 8 },
        (_, w) => queue.claim({ workerId: `w${w}`, limit: 7, leaseMs: 5000, names: ["x"] }),
      ),
    );
    const ids = batches.flat().map((j) => j.id);
    equal(new Set(ids).size, ids.length, "no job claimed twice");
    equal(ids.length, 40, "every job claimed");
  });

  await step("kindLimit counts the running jobs of every worker", async (queue) => {
    await queue.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ name: "report", input: i })));
    await queue.enqueue({ name: "other", input: null });
    const claim = (workerId: string, limit: number) =>
      queue.claim({ workerId, limit, leaseMs: 5000, names: ["report"], kindLimit: 2 });
    const [first] = await claim("w1", 1);
    equal((await claim("w2", 5)).length, 1, "only one more fits under the limit");
    deepEqual(await claim("w3", 5), [], "the limit is reached");
    const [other] = await queue.claim({
      workerId: "w3",
      limit: 5,
      leaseMs: 5000,
      names: ["other"],
    });
    ok(other, "other kinds are not held back");
    ok(await queue.complete(first!.id, "w1"));
    equal((await claim("w3", 5)).length, 1, "a finished job frees its place");
    deepEqual(await claim("w4", 5), []);
    equal((await queue.stats()).running, 3);
  });

  await step("kindLimit no longer counts a job whose lease ran out", async (queue) => {
    await queue.enqueueMany(Array.from({ length: 3 }, (_, i) => ({ name: "report", input: i })));
    const claim = (workerId: string, leaseMs: number) =>
      queue.claim({ workerId, limit: 5, leaseMs, names: ["report"], kindLimit: 1 });
    equal((await claim("dead-worker", 200)).length, 1);
    deepEqual(await claim("w2", 5000), []);
    await sleep(300);
    equal((await claim("w2", 5000)).length, 1, "the dead worker's job no longer counts");
    deepEqual(await claim("w3", 5000), []);
  });

  await step("a kindLimit takes one name and a positive integer", async (queue) => {
    await queue.enqueue({ name: "report", input: null });
    for (
      const bad of [{ names: ["report", "other"], kindLimit: 1 }, {
        names: ["report"],
        kindLimit: 0,
      }]
    ) {
      await rejects(
        queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, ...bad }),
        (error: Error) => error instanceof RangeError && error.message.includes("kindLimit"),
      );
    }
    equal((await queue.stats()).queued, 1, "nothing was claimed");
  });

  await step("concurrent claims with a kindLimit never exceed it together", async (queue) => {
    await queue.enqueueMany(Array.from({ length: 20 }, (_, i) => ({ name: "report", input: i })));
    const batches = await Promise.all(
      Array.from(
        { length: 8 },
        (_, w) =>
          queue.claim({
            workerId: `w${w}`,
            limit: 2,
            leaseMs: 5000,
            names: ["report"],
            kindLimit: 3,
          }),
      ),
    );
    equal(batches.flat().length, 3);
    equal((await queue.stats()).running, 3);
  });

  await step("waitForWork returns soon after an enqueue", async (queue) => {
    await queue.waitForWork(200);
    await queue.enqueue({ name: "early", input: null });
    const missed = Date.now();
    await queue.waitForWork(10_000);
    ok(Date.now() - missed < 5_000, "work that arrived between waits ends the next one");
    const started = Date.now();
    const waiting = queue.waitForWork(10_000);
    await sleep(50);
    await queue.enqueue({ name: "x", input: null });
    await waiting;
    ok(Date.now() - started < 5_000, "woken by the enqueue, not the timeout");
    const aborted = new AbortController();
    const cut = queue.waitForWork(10_000, aborted.signal);
    aborted.abort();
    await cut;
  });

  await step("a schedule's tick fires exactly once, with its job", async (queue) => {
    const tick = new Date("2026-01-01T00:00:00Z");
    const job = { name: "report", input: { team: "ops" } };
    const fired = await Promise.all(
      Array.from({ length: 6 }, () => queue.fireTick("nightly", tick, job)),
    );
    const winners = fired.filter((f) => f !== null);
    equal(winners.length, 1);
    equal((await queue.list({ name: "report" })).total, 1, "one job for the tick");
    deepEqual((await queue.get(winners[0]!.id))!.input, { team: "ops" });
    equal((await queue.lastTick("nightly"))?.toISOString(), tick.toISOString());
    equal(await queue.fireTick("nightly", new Date("2025-12-31T00:00:00Z"), job), null, "older");
    ok(await queue.fireTick("nightly", new Date("2026-01-02T00:00:00Z"), job));
    equal((await queue.list({ name: "report" })).total, 2);
    equal(await queue.lastTick("hourly"), null);
  });
}
