import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { Redis } from "ioredis";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import {
  assertExclusiveClaims,
  assertKindLimitShared,
  jobQueueConformance,
} from "../../testing/mod.ts";
import { REDIS_URL } from "../../../../../tests/support/databases.ts";
import { closeRedisConnection } from "@netscript/store/redis";
import { createRedisJobQueue, type RedisJobQueue } from "./mod.ts";
import { redisTest } from "./testdata/redis_queues.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function closeAll(queues: readonly RedisJobQueue[]): Promise<void> {
  await Promise.all(queues.map((queue) => queue.close()));
}

redisTest(
  "RedisJobQueue conforms to the job queue port",
  (queues, t) => jobQueueConformance(t, () => queues.open()),
);

redisTest(
  "two queues on two connections claim 500 jobs at once without sharing one",
  async (queues) => {
    const prefix = queues.prefix();
    const both = [await queues.open(prefix), await queues.open(prefix)];
    try {
      await assertExclusiveClaims(both);
    } finally {
      await closeAll(both);
    }
  },
);

redisTest("two queues on two connections keep a kindLimit together", async (queues) => {
  const prefix = queues.prefix();
  const both = [await queues.open(prefix), await queues.open(prefix)];
  try {
    await assertKindLimitShared(both);
  } finally {
    await closeAll(both);
  }
});

redisTest(
  "concurrent enqueues of one uniqueKey from two connections agree on one job",
  async (queues) => {
    const prefix = queues.prefix();
    const both = [await queues.open(prefix), await queues.open(prefix)];
    try {
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(
          Array.from(
            { length: 10 },
            (_, i) => both[i % 2]!.enqueue({ name: "x", input: i, uniqueKey: `k${round}` }),
          ),
        );
        equal(new Set(results.map((r) => r.id)).size, 1, "one id");
        equal(results.filter((r) => !r.deduplicated).length, 1, "one insert");
      }
      equal((await both[0]!.list()).total, 5);
    } finally {
      await closeAll(both);
    }
  },
);

redisTest(
  "a queue reads the state events another connection's changes recorded",
  async (queues) => {
    const prefix = queues.prefix();
    const [watcher, worker] = [await queues.open(prefix), await queues.open(prefix)];
    try {
      await watcher.watchStates([
        { name: "email", state: "completed" },
        { name: "email", state: "dead" },
      ]);
      const [done, dead] = await worker.enqueueMany([
        { name: "email", input: 1 },
        { name: "email", input: 2 },
      ]);
      await worker.claim({ workerId: "w", limit: 2, leaseMs: 60_000, names: ["email"] });
      ok(await worker.complete(done!.id, "w"));
      ok(await worker.fail(dead!.id, "w", "bounced", null));
      const events = await watcher.readStateEvents(10);
      deepEqual(events.map((event) => [event.name, event.subject, event.state, event.error]), [
        ["email", done!.id, "completed", null],
        ["email", dead!.id, "dead", "bounced"],
      ]);
      deepEqual(await worker.readStateEvents(10), events, "one log per prefix");
      await watcher.removeStateEvents(events.map((event) => event.id));
      deepEqual(await worker.readStateEvents(10), []);
      await watcher.watchStates([]);
      const later = await worker.enqueue({ name: "email", input: 3 });
      await worker.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["email"] });
      ok(await worker.complete(later.id, "w"));
      deepEqual(
        await watcher.readStateEvents(10),
        [],
        "the worker sees the pairs the watcher dropped",
      );
    } finally {
      await closeAll([watcher, worker]);
    }
  },
);

redisTest("an enqueue on one connection wakes a wait on another", async (queues) => {
  const prefix = queues.prefix();
  const [waiter, enqueuer] = [await queues.open(prefix), await queues.open(prefix)];
  try {
    await waiter.waitForWork(1_000);
    for (
      const [what, act] of [
        ["an enqueue", () => enqueuer.enqueue({ name: "x", input: null })],
        ["a release", async () => {
          const [job] = await enqueuer.claim({
            workerId: "w",
            limit: 1,
            leaseMs: 5_000,
            names: ["x"],
          });
          await enqueuer.release(job!.id, "w");
        }],
      ] as const
    ) {
      const started = Date.now();
      const waiting = waiter.waitForWork(10_000);
      await sleep(50);
      await act();
      await waiting;
      ok(Date.now() - started < 2_000, `woken by ${what}, not the timeout`);
    }
  } finally {
    await closeAll([waiter, enqueuer]);
  }
});

redisTest("waits recover after the subscriber connection is killed", async (queues) => {
  const prefix = queues.prefix();
  const lines: string[] = [];
  const logger = createLogger({ service: "workers-test", sink: (line) => lines.push(line) });
  const waiter = await createRedisJobQueue({ url: REDIS_URL, keyPrefix: prefix, logger });
  const enqueuer = await queues.open(prefix);
  const admin = new Redis(REDIS_URL);
  const listeners = async () => {
    const clients = await admin.call("CLIENT", "LIST", "TYPE", "pubsub") as string;
    return clients.split("\n").filter((line) => line.includes("name=netscript-workers-listener"))
      .map((line) => /\bid=(\d+)/.exec(line)![1]!);
  };
  try {
    const others = new Set(await listeners());
    await waiter.waitForWork(1_000);
    const ours = (await listeners()).filter((id) => !others.has(id));
    equal(ours.length, 1, "the queue's subscriber is listed");
    await admin.call("CLIENT", "KILL", "ID", ours[0]!);
    const killed = Date.now();
    while (!lines.some((line) => line.includes("workers listener reconnected"))) {
      ok(Date.now() - killed < 5_000, `the subscriber comes back:\n${lines.join("\n")}`);
      await waiter.waitForWork(100);
    }
    ok(lines.some((line) => line.includes("waits fall back to polling")), lines.join("\n"));
    await waiter.waitForWork(50);
    const started = Date.now();
    const waiting = waiter.waitForWork(10_000);
    await sleep(50);
    await enqueuer.enqueue({ name: "x", input: null });
    await waiting;
    ok(Date.now() - started < 2_000, "woken by the enqueue after the reconnection");
  } finally {
    await closeAll([waiter, enqueuer]);
    await closeRedisConnection(admin);
  }
});

redisTest("list splits queued and scheduled jobs by name, with exact totals", async (queues) => {
  const prefix = queues.prefix();
  const queue = await queues.open(prefix);
  try {
    const later = new Date(Date.now() + 60_000);
    const due = [
      await queue.enqueue({ name: "a", input: 1 }),
      await queue.enqueue({ name: "b", input: 2 }),
      await queue.enqueue({ name: "a", input: 3 }),
    ];
    const ahead = [
      await queue.enqueue({ name: "a", input: 4, runAt: later }),
      await queue.enqueue({ name: "b", input: 5, runAt: later }),
    ];
    const ids = async (options: Parameters<RedisJobQueue["list"]>[0]) => {
      const page = await queue.list(options);
      return { ids: page.items.map((job) => job.id), total: page.total };
    };
    deepEqual(await ids({ state: "queued" }), {
      ids: [due[2]!.id, due[1]!.id, due[0]!.id],
      total: 3,
    });
    deepEqual(await ids({ state: "queued", name: "a", limit: 1, offset: 1 }), {
      ids: [due[0]!.id],
      total: 2,
    });
    deepEqual(await ids({ state: "scheduled" }), { ids: [ahead[1]!.id, ahead[0]!.id], total: 2 });
    deepEqual(await ids({ state: "scheduled", name: "b" }), { ids: [ahead[1]!.id], total: 1 });
    deepEqual(await ids({ state: "failed" }), { ids: [], total: 0 });
    deepEqual(await ids({ name: "a", limit: 0 }), { ids: [], total: 3 });
    ok(
      !(await queues.keys(prefix)).some((key) => key.startsWith("tmp:")),
      "no temporary keys left",
    );
    await rejects(queue.list({ limit: -1 }), RangeError);
  } finally {
    await queue.close();
  }
});

redisTest("enqueueMany checks every job first: a bad one adds none", async (queues) => {
  const queue = await queues.open();
  try {
    await rejects(
      queue.enqueueMany([{ name: "x", input: 1 }, { name: "x", input: 2, priority: 1.5 }]),
      RangeError,
    );
    await rejects(
      queue.enqueueMany([{ name: "x", input: 1 }, { name: "x", input: 2n }]),
      TypeError,
    );
    await rejects(
      queue.enqueueMany([{ name: "x", input: 1, runAt: new Date(Number.NaN) }]),
      RangeError,
    );
    equal((await queue.list()).total, 0);
  } finally {
    await queue.close();
  }
});

redisTest("jobs keep their exact input, priorities and dates far from now", async (queues) => {
  const queue = await queues.open();
  try {
    const input = { big: 2 ** 53 - 1, text: "é ✓ \u0001", list: [], nested: { empty: {} } };
    const past = new Date("1960-01-01T00:00:00.123Z");
    const older = new Date("1950-01-01T00:00:00.000Z");
    const { id } = await queue.enqueue({ name: "x", input, priority: -5, runAt: past });
    const first = await queue.enqueue({ name: "x", input: null, priority: -5, runAt: older });
    const job = (await queue.get(id))!;
    deepEqual(job.input, input);
    equal(job.priority, -5);
    equal(job.runAt.toISOString(), past.toISOString());
    const claimed = await queue.claim({ workerId: "w", limit: 2, leaseMs: 5_000, names: ["x"] });
    deepEqual(claimed.map((j) => j.id), [first.id, id], "an earlier runAt before 1970 goes first");
  } finally {
    await queue.close();
  }
});

redisTest("commands without a connection fail with STORE_UNAVAILABLE", async (queues) => {
  const queue = await queues.open();
  await queue.close();
  for (const call of [() => queue.enqueue({ name: "x", input: null }), () => queue.lastTick("s")]) {
    await rejects(call(), (error: unknown) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      match(error.message, /Cannot reach the workers job store at Redis \S+: Connection is closed/);
      return true;
    });
  }
});
