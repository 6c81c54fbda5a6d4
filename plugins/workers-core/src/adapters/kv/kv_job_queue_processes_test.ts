import { equal, ok } from "node:assert/strict";
import { startProgram } from "../../../../../tests/support/process.ts";
import { type KvJobQueue, openKvJobQueue } from "./mod.ts";

const PROCESS = new URL("./testdata/kv_queue_process.ts", import.meta.url);
const PERMISSIONS = ["--unstable-kv", "--allow-read", "--allow-write"];

async function withKvFile(body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-queue-" });
  try {
    await body(`${dir}/queue.sqlite3`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function claimAll(queue: KvJobQueue, workerId: string): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const jobs = await queue.claim({ workerId, limit: 5, leaseMs: 60_000, names: ["x"] });
    if (jobs.length === 0) return claimed;
    for (const job of jobs) {
      ok(await queue.complete(job.id, workerId), `${workerId} still holds ${job.id}`);
      claimed.push(job.id);
    }
  }
}

Deno.test("KvJobQueue: two handles and a second process on one file claim 300 jobs, each once", () =>
  withKvFile(async (path) => {
    const [a, b] = await Promise.all([openKvJobQueue(path), openKvJobQueue(path)]);
    try {
      const enqueued = await a.enqueueMany(
        Array.from({ length: 300 }, (_, i) => ({ name: "x", input: i })),
      );
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["claim", path],
      });
      await child.waitForRecord((record) => record.ready === true);
      const [byA, byB] = await Promise.all([claimAll(a, "a"), claimAll(b, "b")]);
      const { claimed: byChild } = await child.waitForRecord((record) => "claimed" in record) as {
        claimed: string[];
      };
      equal((await child.finished).code, 0);
      const all = [...byA, ...byB, ...byChild];
      equal(new Set(all).size, all.length, "no job claimed twice");
      equal(all.length, 300, "every job claimed");
      equal(new Set([...all, ...enqueued.map(({ id }) => id)]).size, 300);
      ok(byChild.length > 0, "the second process took part");
      equal((await a.stats()).completed, 300);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }));

Deno.test("KvJobQueue: two handles and a second process racing enqueueOnce on one file add one job per key", () =>
  withKvFile(async (path) => {
    const [a, b] = await Promise.all([openKvJobQueue(path), openKvJobQueue(path)]);
    try {
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["once", path],
      });
      await child.waitForRecord((record) => record.ready === true);
      const here = await Promise.all(
        [a, b].flatMap((queue) =>
          Array.from(
            { length: 20 },
            async (_, i) => (await queue.enqueueOnce(`k${i}`, { name: "x", input: "parent" })).id,
          )
        ),
      );
      const { ids: byChild } = await child.waitForRecord((record) => "ids" in record) as {
        ids: string[];
      };
      equal((await child.finished).code, 0, child.stderr.join("\n"));
      for (let i = 0; i < 20; i++) {
        equal(here[i], byChild[i], `one job for k${i}`);
        equal(here[20 + i], byChild[i], `one job for k${i}`);
      }
      equal((await a.list({ limit: 100 })).total, 20, "one job per key");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }));

/** Runs the second process's `watch` mode with these pairs, until it exits. */
async function watchFromAnotherProcess(path: string, pairs: unknown[]): Promise<void> {
  await using child = startProgram(PROCESS, {
    permissions: PERMISSIONS,
    args: ["watch", path, JSON.stringify(pairs)],
  });
  equal((await child.waitForRecord((record) => "watched" in record)).watched, pairs.length);
  equal((await child.finished).code, 0, child.stderr.join("\n"));
}

Deno.test("KvJobQueue records state events for the pairs another process watches, from a stale cache", () =>
  withKvFile(async (path) => {
    const queue = await openKvJobQueue(path);
    try {
      const settle = async () => {
        const { id } = await queue.enqueue({ name: "x", input: null });
        await queue.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["x"] });
        ok(await queue.complete(id, "w"), `w still holds ${id}`);
        return id;
      };
      await settle();
      await watchFromAnotherProcess(path, [{ name: "x", state: "completed" }]);
      const watched = await settle();
      await watchFromAnotherProcess(path, []);
      await settle();
      const events = await queue.readStateEvents(10);
      equal(events.length, 1, "only the completion while watched is recorded");
      equal(events[0]!.subject, watched);
    } finally {
      await queue.close();
    }
  }));

async function holdUnderLimit(
  queue: KvJobQueue,
  workerId: string,
  kindLimit: number,
): Promise<string[]> {
  const claimed: string[] = [];
  const until = Date.now() + 500;
  while (Date.now() < until) {
    const jobs = await queue.claim({
      workerId,
      limit: 1,
      leaseMs: 60_000,
      names: ["x"],
      kindLimit,
    });
    claimed.push(...jobs.map((job) => job.id));
  }
  return claimed;
}

Deno.test("KvJobQueue: two handles and a second process on one file keep a kindLimit together", () =>
  withKvFile(async (path) => {
    const [a, b] = await Promise.all([openKvJobQueue(path), openKvJobQueue(path)]);
    try {
      await a.enqueueMany(Array.from({ length: 20 }, (_, i) => ({ name: "x", input: i })));
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["hold", path, "3"],
      });
      await child.waitForRecord((record) => record.ready === true);
      const held = await Promise.all(
        [a, a, b, b].map((queue, i) => holdUnderLimit(queue, `w${i}`, 3)),
      );
      const { claimed: byChild } = await child.waitForRecord((record) => "claimed" in record) as {
        claimed: string[];
      };
      equal((await child.finished).code, 0);
      equal([...held.flat(), ...byChild].length, 3, "three jobs held in all");
      equal((await a.stats()).running, 3);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }));

Deno.test("KvJobQueue.waitForWork() wakes on an enqueue by another process", () =>
  withKvFile(async (path) => {
    const queue = await openKvJobQueue(path);
    try {
      await queue.stats();
      const started = Date.now();
      const waiting = queue.waitForWork(30_000);
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["enqueue", path],
      });
      await child.waitForRecord((record) => "enqueued" in record);
      await waiting;
      ok(Date.now() - started < 20_000, "woken by the other process, not the timeout");
      equal((await child.finished).code, 0);
      equal((await queue.stats()).queued, 1);
    } finally {
      await queue.close();
    }
  }));

Deno.test("KvJobQueue.waitForWork() returns at once for an enqueue by another process between two waits", () =>
  withKvFile(async (path) => {
    const queue = await openKvJobQueue(path);
    try {
      await queue.waitForWork(0);
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["enqueue", path],
      });
      equal((await child.finished).code, 0);
      const started = Date.now();
      await queue.waitForWork(60_000);
      ok(Date.now() - started < 20_000, "the enqueue before the wait ended it, not the timeout");
      equal((await queue.stats()).queued, 1);
    } finally {
      await queue.close();
    }
  }));

for (
  const [what, permissions] of [
    ["watching the folder", PERMISSIONS],
    [
      "polling: no read permission for the folder",
      (path: string) => ["--unstable-kv", `--allow-read=${path}`, `--allow-write=${path}`],
    ],
  ] as const
) {
  Deno.test(`KvJobQueue.waitForWork() in another process wakes on an enqueue here, ${what}`, () =>
    withKvFile(async (path) => {
      const queue = await openKvJobQueue(path);
      try {
        await queue.stats();
        await using child = startProgram(PROCESS, {
          permissions: typeof permissions === "function" ? permissions(path) : [...permissions],
          args: ["wait", path],
        });
        await child.waitForRecord((record) => record.ready === true);
        const started = Date.now();
        await queue.enqueue({ name: "x", input: null });
        const woke = await child.waitForRecord((record) => record.woke === true);
        ok(Date.now() - started < 20_000, "woken by the enqueue, not the timeout");
        equal(woke.queued, 1);
        equal((await child.finished).code, 0, child.stderr.join("\n"));
      } finally {
        await queue.close();
      }
    }));
}
