import { deepEqual, equal } from "node:assert/strict";
import { redisTest } from "./testdata/redis_queues.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

redisTest(
  "claim orders jobs from several names and expired leases by priority, runAt, then age",
  async (queues) => {
    const queue = await queues.open();
    try {
      const past = new Date(Date.now() - 60_000);
      const expired = await queue.enqueue({ name: "a", input: "expired", priority: 3 });
      await queue.claim({ workerId: "gone", limit: 1, leaseMs: 100, names: ["a"] });
      const a1 = await queue.enqueue({ name: "a", input: "a1" });
      const b1 = await queue.enqueue({ name: "b", input: "b1", priority: 5 });
      const a2 = await queue.enqueue({ name: "a", input: "a2", priority: 5, runAt: past });
      const b2 = await queue.enqueue({ name: "b", input: "b2", uniqueKey: "u", traceparent: "t" });
      await sleep(150);
      const first = await queue.claim({
        workerId: "w",
        limit: 2,
        leaseMs: 5_000,
        names: ["a", "b"],
      });
      deepEqual(first.map((job) => job.input), ["a2", "b1"]);
      const rest = await queue.claim({
        workerId: "w",
        limit: 9,
        leaseMs: 5_000,
        names: ["b", "a"],
      });
      deepEqual(rest.map((job) => job.input), ["expired", "a1", "b2"]);
      for (const job of [...first, ...rest]) {
        deepEqual(job, await queue.get(job.id), "a claimed job is what is stored");
      }
      deepEqual(
        [expired, a1, b1, a2, b2].map((job) => job.id).sort(),
        [...first, ...rest].map((job) => job.id).sort(),
      );
    } finally {
      await queue.close();
    }
  },
);

redisTest(
  "a claim with a kindLimit counts every live lease of its name and writes no key of its own",
  async (queues) => {
    const prefix = queues.prefix();
    const queue = await queues.open(prefix);
    try {
      await queue.enqueueMany(Array.from({ length: 6 }, (_, i) => ({ name: "a", input: i })));
      const claim = (limit: number, leaseMs: number, kindLimit?: number) =>
        queue.claim({ workerId: "w", limit, leaseMs, names: ["a"], kindLimit });
      const [expiring] = await claim(1, 100);
      equal((await claim(2, 5_000)).length, 2, "claims without a limit are not held back");
      const keys = await queues.keys(prefix);
      equal((await claim(9, 5_000, 4)).length, 1, "three run, claimed without the limit");
      deepEqual(await claim(9, 5_000, 4), []);
      await sleep(150);
      deepEqual(
        (await claim(9, 5_000, 4)).map((job) => job.id),
        [expiring!.id],
        "the expired lease no longer counts, and is taken back first",
      );
      deepEqual(await claim(9, 5_000, 4), [], "taken back, it counts again");
      deepEqual(await queues.keys(prefix), keys, "no key was added");
    } finally {
      await queue.close();
    }
  },
);
