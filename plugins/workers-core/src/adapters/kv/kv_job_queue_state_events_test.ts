import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { StateEvent } from "@netscript/store";
import type { JobQueue } from "../../ports/job_queue.ts";
import { KvJobQueue, openKvJobQueue } from "./mod.ts";

async function withKvFile(body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-events-" });
  try {
    await body(`${dir}/queue.sqlite3`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Enqueues `count` jobs named "x" and claims them as worker "w"; returns their ids. */
async function running(queue: JobQueue, count = 1): Promise<string[]> {
  await queue.enqueueMany(Array.from({ length: count }, (_, i) => ({ name: "x", input: i })));
  const jobs = await queue.claim({ workerId: "w", limit: count, leaseMs: 60_000, names: ["x"] });
  equal(jobs.length, count);
  return jobs.map(({ id }) => id);
}

/** The events' `(subject, state, error)`, in the order read. */
function changes(events: readonly StateEvent[]): [string, string, string | null][] {
  return events.map((event) => [event.subject, event.state, event.error]);
}

Deno.test("KvJobQueue records a state event for pairs another handle on the file watches, even with a stale cache", () =>
  withKvFile(async (path) => {
    const [watcher, worker] = await Promise.all([openKvJobQueue(path), openKvJobQueue(path)]);
    try {
      const [warm] = await running(worker);
      ok(await worker.complete(warm!, "w"), "a settle before anything is watched");
      await watcher.watchStates([{ name: "x", state: "completed" }, { name: "x", state: "dead" }]);

      const [one] = await running(worker);
      ok(await worker.complete(one!, "w"), "the settle whose watch check failed is retried");
      deepEqual(changes(await watcher.readStateEvents(10)), [[one, "completed", null]]);

      await watcher.watchStates([{ name: "x", state: "dead" }]);
      const many = await running(worker, 25);
      deepEqual(await worker.completeMany(many, "w"), many, "every job completed, none lost");
      const [dead] = await running(worker);
      ok(await worker.fail(dead!, "w", "boom", null));
      deepEqual(changes(await watcher.readStateEvents(10)), [
        [one, "completed", null],
        [dead, "dead", "boom"],
      ]);

      await watcher.watchStates([]);
      const [after, afterDead] = await running(worker, 2);
      ok(await worker.complete(after!, "w"));
      ok(await worker.fail(afterDead!, "w", "boom", null));
      equal((await watcher.readStateEvents(10)).length, 2, "nothing recorded once unwatched");
      equal((await worker.stats()).completed, 28);
    } finally {
      await Promise.all([watcher.close(), worker.close()]);
    }
  }));

Deno.test("KvJobQueue.completeMany() records one event per job, in the operations of their jobs", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  try {
    await queue.watchStates([{ name: "x", state: "completed" }]);
    const ids = await running(queue, 45);
    deepEqual(await queue.completeMany(ids, "w"), ids);
    const events = await queue.readStateEvents(100);
    deepEqual(events.map(({ subject }) => subject).sort(), [...ids].sort());
    equal(new Set(events.map(({ id }) => id)).size, 45);
  } finally {
    kv.close();
  }
});

Deno.test("KvJobQueue settles read only the job once the watched pairs are cached", async () => {
  const kv = await Deno.openKv(":memory:");
  const reads: string[] = [];
  const counted = new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (property === "get" || property === "getMany" || property === "list") {
        return (...args: unknown[]) => {
          reads.push(String(property));
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  const queue = new KvJobQueue(counted);
  try {
    const [first, second, third] = await running(queue, 3);
    reads.length = 0;
    ok(await queue.complete(first!, "w"));
    deepEqual(reads, ["getMany"], "the first settle reads the watch entry with the job");
    reads.length = 0;
    ok(await queue.complete(second!, "w"));
    ok(await queue.fail(third!, "w", "boom", null));
    deepEqual(reads, ["getMany", "getMany"], "later settles read only their job");
  } finally {
    kv.close();
  }
});

Deno.test("KvJobQueue records the start of a very long error with a dead job's event", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  try {
    await queue.watchStates([{ name: "x", state: "dead" }]);
    const [id] = await running(queue);
    ok(await queue.fail(id!, "w", "e".repeat(100_000), null));
    const [event] = await queue.readStateEvents(1);
    equal(event!.error, (await queue.get(id!))!.lastError);
    equal(event!.error!.length, 8192);
  } finally {
    kv.close();
  }
});

Deno.test("KvJobQueue.removeStateEvents() removes more events than one operation takes and skips ids it cannot hold", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  try {
    await queue.watchStates([
      { name: "x", state: "cancelled" },
      { name: "x", state: "cancelled" },
    ]);
    const jobs = await queue.enqueueMany(
      Array.from({ length: 230 }, (_, i) => ({ name: "x", input: i })),
    );
    for (const { id } of jobs) ok(await queue.cancel(id));
    const events = await queue.readStateEvents(500);
    equal(events.length, 230, "one event per cancel, though the pair was given twice");
    await queue.removeStateEvents([
      ...events.slice(0, 220).map(({ id }) => id),
      "not-an-event",
      "k".repeat(5_000),
    ]);
    deepEqual(
      (await queue.readStateEvents(500)).map(({ id }) => id),
      events.slice(220).map(({ id }) => id),
    );
  } finally {
    kv.close();
  }
});

Deno.test("KvJobQueue.readStateEvents() takes a positive integer limit", async () => {
  const kv = await Deno.openKv(":memory:");
  const queue = new KvJobQueue(kv);
  try {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await rejects(queue.readStateEvents(limit), RangeError);
    }
  } finally {
    kv.close();
  }
});
