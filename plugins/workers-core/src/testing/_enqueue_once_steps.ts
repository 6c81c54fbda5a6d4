import { deepEqual, equal, notEqual, ok, rejects } from "node:assert/strict";
import { MAX_UNIQUE_KEY_LENGTH } from "../ports/job_limits.ts";
import type { JobQueue } from "../ports/job_queue.ts";

/** Runs one conformance step on a fresh queue. */
type Step = (name: string, body: (queue: JobQueue) => Promise<void>) => Promise<boolean>;

/**
 * The conformance steps of `enqueueOnce`: the key adds one job for good,
 * whatever becomes of the job, under concurrency too.
 *
 * @param step Runs a step on a fresh queue.
 */
export async function enqueueOnceSteps(step: Step): Promise<void> {
  await step("enqueueOnce adds the job, then returns it for good", async (queue) => {
    const first = await queue.enqueueOnce("delivery:1", { name: "deliver", input: { n: 1 } });
    equal(first.deduplicated, false);
    deepEqual((await queue.get(first.id))!.input, { n: 1 });
    const again = await queue.enqueueOnce("delivery:1", { name: "deliver", input: { n: 2 } });
    deepEqual(again, { id: first.id, deduplicated: true });
    const [claimed] = await queue.claim({
      workerId: "w",
      limit: 1,
      leaseMs: 5000,
      names: ["deliver"],
    });
    equal(claimed!.id, first.id);
    ok(await queue.complete(first.id, "w"));
    deepEqual(
      await queue.enqueueOnce("delivery:1", { name: "deliver", input: { n: 3 } }),
      { id: first.id, deduplicated: true },
      "still recorded after the job completed",
    );
    const cancelled = await queue.enqueueOnce("delivery:2", { name: "deliver", input: null });
    ok(await queue.cancel(cancelled.id));
    deepEqual(
      await queue.enqueueOnce("delivery:2", { name: "deliver", input: null }),
      { id: cancelled.id, deduplicated: true },
      "still recorded after the job was cancelled",
    );
    equal((await queue.list()).total, 2, "no job added by a recorded key");
  });

  await step("enqueueOnce with different keys adds different jobs", async (queue) => {
    const a = await queue.enqueueOnce("a", { name: "x", input: 1 });
    const b = await queue.enqueueOnce("b", { name: "x", input: 1 });
    const plain = await queue.enqueue({ name: "x", input: 1 });
    equal(a.deduplicated || b.deduplicated, false);
    equal(new Set([a.id, b.id, plain.id]).size, 3);
  });

  await step("concurrent enqueueOnce with one key adds exactly one job", async (queue) => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => queue.enqueueOnce("race", { name: "x", input: i })),
    );
    equal(new Set(results.map(({ id }) => id)).size, 1, "every call returns the one job");
    equal(results.filter(({ deduplicated }) => !deduplicated).length, 1, "one call added it");
    equal((await queue.list()).total, 1);
  });

  await step(
    "concurrent enqueueOnce with different keys and one uniqueKey add one job",
    async (queue) => {
      const results = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) => queue.enqueueOnce(`step:${i}`, { name: "sync", input: i, uniqueKey: "user:1" }),
        ),
      );
      equal(new Set(results.map(({ id }) => id)).size, 1, "every key is recorded for the one job");
      equal((await queue.list()).total, 1);
      deepEqual(
        await queue.enqueueOnce("step:7", { name: "sync", input: null }),
        { id: results[0]!.id, deduplicated: true },
      );
    },
  );

  await step("an invalid once-key or job is refused before anything is written", async (queue) => {
    const job = { name: "x", input: 1 };
    for (
      const key of [
        "",
        "k".repeat(MAX_UNIQUE_KEY_LENGTH + 1),
        "\u{1F600}".repeat(MAX_UNIQUE_KEY_LENGTH + 1),
        "a\u0000b",
        "\uD800",
      ]
    ) {
      await rejects(queue.enqueueOnce(key, job), RangeError, JSON.stringify(key));
    }
    await rejects(queue.enqueueOnce("valid", { name: "x", input: 1, priority: 0.5 }), RangeError);
    equal((await queue.list()).total, 0);
    const longest = "\u{1F600}".repeat(MAX_UNIQUE_KEY_LENGTH);
    equal((await queue.enqueueOnce(longest, job)).deduplicated, false);
    equal(
      (await queue.enqueueOnce("valid", job)).deduplicated,
      false,
      "the refused call kept nothing",
    );
  });

  await step("enqueueOnce records the key against the job holding its uniqueKey", async (queue) => {
    const holder = await queue.enqueue({ name: "sync", input: 1, uniqueKey: "user:1" });
    const once = await queue.enqueueOnce("step:1", { name: "sync", input: 2, uniqueKey: "user:1" });
    deepEqual(once, { id: holder.id, deduplicated: true });
    equal((await queue.list()).total, 1);
    await queue.claim({ workerId: "w", limit: 1, leaseMs: 5000, names: ["sync"] });
    ok(await queue.complete(holder.id, "w"));
    deepEqual(
      await queue.enqueueOnce("step:1", { name: "sync", input: 3, uniqueKey: "user:1" }),
      { id: holder.id, deduplicated: true },
      "the key stays with that job after the uniqueKey is freed",
    );
    const fresh = await queue.enqueueOnce("step:2", {
      name: "sync",
      input: 4,
      uniqueKey: "user:1",
    });
    equal(fresh.deduplicated, false);
    notEqual(fresh.id, holder.id);
    equal((await queue.get(fresh.id))!.uniqueKey, "user:1");
    deepEqual(
      await queue.enqueue({ name: "sync", input: 5, uniqueKey: "user:1" }),
      { id: fresh.id, deduplicated: true },
      "a job enqueued once holds its uniqueKey like any other",
    );
  });

  await step("enqueueOnce wakes waiting workers as enqueue does", async (queue) => {
    await queue.waitForWork(200);
    const started = Date.now();
    const waiting = queue.waitForWork(10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.enqueueOnce("wake", { name: "x", input: null });
    await waiting;
    ok(Date.now() - started < 5_000, "woken by the enqueue, not the timeout");
  });
}
