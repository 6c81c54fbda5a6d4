import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { Redis } from "ioredis";
import { REDIS_URL } from "../../../../../tests/support/databases.ts";
import { closeRedisConnection } from "@netscript/store/redis";
import type { RedisJobQueue } from "./mod.ts";
import { redisTest } from "./testdata/redis_queues.ts";

/** Enqueues a job of `name` and claims it as worker `w`; returns its id. */
async function running(queue: RedisJobQueue, name: string): Promise<string> {
  const { id } = await queue.enqueue({ name, input: null });
  await queue.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: [name] });
  return id;
}

redisTest("state events write no key while nothing is watched", async (queues) => {
  const prefix = queues.prefix();
  const queue = await queues.open(prefix);
  try {
    ok(await queue.complete(await running(queue, "email"), "w"));
    ok(await queue.fail(await running(queue, "email"), "w", "boom", null));
    const keys = await queues.keys(prefix);
    ok(!keys.includes("watched") && !keys.includes("events"), keys.join(", "));
  } finally {
    await queue.close();
  }
});

redisTest(
  "watchStates stores each pair once, in a set it replaces whole, however many pairs",
  async (queues) => {
    const prefix = queues.prefix();
    const queue = await queues.open(prefix);
    const redis = new Redis(REDIS_URL);
    try {
      const many = Array.from({ length: 2_500 }, (_, i) => ({ name: `job-${i}`, state: "dead" }));
      await queue.watchStates([...many, ...many]);
      equal(await redis.scard(`${prefix}:watched`), 2_500);
      ok(await redis.sismember(`${prefix}:watched`, "job-2499\0dead"));
      await queue.watchStates([{ name: "email", state: "dead" }]);
      deepEqual(await redis.smembers(`${prefix}:watched`), ["email\0dead"]);
      await queue.watchStates([]);
      equal(await redis.exists(`${prefix}:watched`), 0);
    } finally {
      await queue.close();
      await closeRedisConnection(redis);
    }
  },
);

redisTest("a state event keeps an empty error apart from none", async (queues) => {
  const queue = await queues.open();
  try {
    await queue.watchStates([{ name: "email", state: "dead" }, { name: "email", state: "failed" }]);
    const dead = await running(queue, "email");
    ok(await queue.fail(dead, "w", "", null));
    const events = await queue.readStateEvents(10);
    deepEqual(events.map((event) => [event.subject, event.state, event.error]), [[
      dead,
      "dead",
      "",
    ]]);
    equal((await queue.get(dead))!.lastError, "");
  } finally {
    await queue.close();
  }
});

redisTest("removeStateEvents skips strings that are not stream ids", async (queues) => {
  const queue = await queues.open();
  try {
    await queue.watchStates([{ name: "email", state: "cancelled" }]);
    const { id } = await queue.enqueue({ name: "email", input: null });
    ok(await queue.cancel(id));
    const [event] = await queue.readStateEvents(10);
    const [ms] = event!.id.split("-");
    await queue.removeStateEvents([
      "",
      "x",
      id,
      `0${event!.id}`,
      `${ms}`,
      "99999999999999999999-0",
    ]);
    deepEqual((await queue.readStateEvents(10)).map((e) => e.id), [event!.id], "nothing removed");
    await queue.removeStateEvents(["x", event!.id, event!.id]);
    deepEqual(await queue.readStateEvents(10), []);
    await queue.removeStateEvents([]);
  } finally {
    await queue.close();
  }
});

redisTest("readStateEvents takes a positive integer limit", async (queues) => {
  const queue = await queues.open();
  try {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await rejects(queue.readStateEvents(limit), RangeError, String(limit));
    }
  } finally {
    await queue.close();
  }
});
