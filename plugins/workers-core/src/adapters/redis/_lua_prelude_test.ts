import { deepEqual, equal, ok } from "node:assert/strict";
import { Redis } from "ioredis";
import { REDIS_URL } from "../../../../../tests/support/databases.ts";
import { closeRedisConnection } from "@netscript/store/redis";
import { redisTest } from "./testdata/redis_queues.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STORED = ["queued", "running", "completed", "failed", "dead", "cancelled"];
const pad = (n: number) => String(n).padStart(16, "0");

/**
 * Checks the key layout of `_key_space.ts` against every job's hash: the
 * job is in the index sets of its state only, a waiting job in exactly one
 * of its ready set, `scheduled` and `retrying`, a running one in its
 * leases set, and no set holds anything else.
 */
async function assertIndexes(redis: Redis, prefix: string, step: string): Promise<void> {
  const key = (...parts: string[]) => [prefix, ...parts].join(":");
  const ids = await redis.zrange(key("all"), "0", "-1");
  const seen = new Map<string, number>();
  const has = async (set: string, member: string) => {
    const found = await redis.zscore(set, member) !== null;
    seen.set(set, (seen.get(set) ?? 0) + (found ? 1 : 0));
    return found;
  };
  for (const id of ids) {
    const job = await redis.hgetall(key("job", id));
    const { state, name } = job as Record<string, string>;
    const [runAt, seq] = [Number(job.runAt), Number(job.seq)];
    const at = `${step}: job ${job.id} (${state})`;
    for (const stored of STORED) {
      equal(await redis.zscore(key("state", stored), id) !== null, stored === state, at);
      equal(await redis.zscore(key("state", stored, name!), id) !== null, stored === state, at);
    }
    const sortable = runAt >= 0 ? `1${pad(runAt)}` : `0${pad(runAt + 8640000000000000)}`;
    const waiting = [
      await has(key("ready", name!), `${sortable}:${pad(seq)}:${id}`),
      await has(key("scheduled"), id) && state === "queued",
      await has(key("retrying"), id) && state === "failed",
    ].filter(Boolean).length;
    equal(waiting, state === "queued" || state === "failed" ? 1 : 0, `${at}: waits once`);
    equal(await has(key("leases", name!), id), state === "running", `${at}: leased`);
    equal(job.leaseOwner !== undefined, state === "running", `${at}: lease owner`);
    if (job.uniqueKey !== undefined) equal(await redis.hget(key("unique"), job.uniqueKey), id, at);
  }
  for (const [set, members] of seen) equal(await redis.zcard(set), members, `${step}: ${set}`);
  let stored = 0;
  for (const state of STORED) stored += await redis.zcard(key("state", state));
  equal(stored, ids.length, `${step}: every job has one state`);
}

redisTest("the scripts keep every job's index entries in step with its hash", async (queues) => {
  const prefix = queues.prefix();
  const queue = await queues.open(prefix);
  const redis = new Redis(REDIS_URL);
  const claim = (names: string[], limit = 10, leaseMs = 5_000) =>
    queue.claim({ workerId: "w", limit, leaseMs, names });
  try {
    const soon = new Date(Date.now() + 200);
    const [a1, a2, b1] = await queue.enqueueMany([
      { name: "a", input: 1, uniqueKey: "u1", maxAttempts: 3 },
      { name: "a", input: 2, priority: 2, runAt: new Date("1960-01-01") },
      { name: "b", input: 3, uniqueKey: "u2" },
    ]);
    const [s1, s2] = await queue.enqueueMany([
      { name: "a", input: 4, runAt: soon },
      { name: "b", input: 5, runAt: new Date(Date.now() + 60_000), uniqueKey: "u3" },
    ]);
    await assertIndexes(redis, prefix, "enqueued");
    deepEqual((await claim(["a", "b"], 2)).map((job) => job.id), [a2!.id, a1!.id]);
    await assertIndexes(redis, prefix, "claimed");
    ok(await queue.fail(a1!.id, "w", "boom", new Date(Date.now() - 1)));
    ok(await queue.fail(a2!.id, "w", "boom", new Date(Date.now() + 60_000)));
    await assertIndexes(redis, prefix, "failed");
    ok(await queue.cancel(a2!.id), "a failed job waiting in retrying");
    ok(await queue.cancel(s2!.id), "a scheduled job");
    await assertIndexes(redis, prefix, "cancelled");
    ok(await queue.retry(a2!.id));
    await assertIndexes(redis, prefix, "retried");
    await sleep(250);
    const claimed = await claim(["a", "b"], 10, 100);
    deepEqual(claimed.map((job) => job.id).sort(), [a1!.id, a2!.id, b1!.id, s1!.id].sort());
    await assertIndexes(redis, prefix, "claimed again");
    ok(await queue.release(a1!.id, "w"), "a failed job given back waits as failed");
    ok(await queue.complete(b1!.id, "w"));
    ok(await queue.fail(s1!.id, "w", "dead", null));
    await assertIndexes(redis, prefix, "settled");
    await sleep(150);
    const reclaimed = await claim(["a"]);
    deepEqual(reclaimed.map((job) => job.id).sort(), [a1!.id, a2!.id].sort(), "with a lease out");
    await assertIndexes(redis, prefix, "reclaimed");
    deepEqual(await queue.heartbeat("w", [a1!.id, b1!.id], 5_000), [a1!.id]);
    ok(await queue.complete(a1!.id, "w"));
    ok(await queue.retry(s1!.id));
    await assertIndexes(redis, prefix, "completed");
    deepEqual(await queue.stats(), {
      queued: 1,
      scheduled: 0,
      running: 1,
      completed: 2,
      failed: 0,
      dead: 0,
      cancelled: 1,
    });
  } finally {
    await queue.close();
    await closeRedisConnection(redis);
  }
});
