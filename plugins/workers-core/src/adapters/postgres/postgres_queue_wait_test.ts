import { ok } from "node:assert/strict";
import { createLogger } from "@netscript/telemetry";
import { postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { createPostgresJobQueue, type PostgresJobQueue } from "./mod.ts";
import { freshWorkersDatabase } from "./testdata/workers_database.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a wait took, in ms. */
async function timed(wait: Promise<void>): Promise<number> {
  const started = performance.now();
  await wait;
  return performance.now() - started;
}

/**
 * Runs a test with two queues on the same fresh database, as two processes
 * would: `waiter` waits for work, `other` changes jobs. The listener's own
 * reconnects are tested with it, in `@netscript/store/postgres`.
 */
function listenerTest(
  name: string,
  fn: (queues: { waiter: PostgresJobQueue; other: PostgresJobQueue }) => Promise<void>,
) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn() {
      assertAvailable(postgres, "postgres");
      const database = await freshWorkersDatabase();
      const logger = createLogger({ service: "workers-test", sink: () => {} });
      const waiter = createPostgresJobQueue({ url: database.url, logger });
      const other = createPostgresJobQueue({ url: database.url, logger });
      try {
        ok(
          await timed(waiter.waitForWork(10_000)) < 5_000,
          "the first wait returns once listening",
        );
        await fn({ waiter, other });
      } finally {
        await waiter.close();
        await other.close();
        await database.drop();
      }
    },
  });
}

listenerTest("waitForWork wakes on an enqueue from another pool (NOTIFY)", async (queues) => {
  const woken = queues.waiter.waitForWork(10_000);
  const elapsed = timed(woken);
  await sleep(100);
  await queues.other.enqueue({ name: "x", input: null });
  const ms = await elapsed;
  ok(ms >= 90 && ms < 2_000, `woken after the enqueue, not by the timeout (${ms} ms)`);
});

listenerTest("retry, release and a due retry time wake waiters", async ({ waiter, other }) => {
  const { id } = await other.enqueue({ name: "x", input: null, maxAttempts: 3 });
  const claim = () => other.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["x"] });
  await claim();
  await sleep(50);
  await waiter.waitForWork(0);
  const changes: [string, () => Promise<boolean>][] = [
    ["release", () => other.release(id, "w")],
    ["fail with a past retry time", async () => {
      await claim();
      return other.fail(id, "w", "boom", new Date(Date.now() - 1_000));
    }],
    ["retry", async () => {
      await claim();
      await other.fail(id, "w", "boom", null);
      return other.retry(id);
    }],
  ];
  for (const [what, change] of changes) {
    const elapsed = timed(waiter.waitForWork(10_000));
    await sleep(50);
    ok(await change());
    ok(await elapsed < 2_000, `${what} woke the waiter`);
  }
});

listenerTest(
  "a job for later, a completion or a cancel does not wake",
  async ({ waiter, other }) => {
    const running = await other.enqueue({ name: "x", input: null });
    await other.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["x"] });
    await sleep(50);
    await waiter.waitForWork(0);
    const elapsed = timed(waiter.waitForWork(400));
    const later = await other.enqueue({
      name: "x",
      input: null,
      runAt: new Date(Date.now() + 60_000),
    });
    ok(await other.cancel(later.id));
    ok(await other.complete(running.id, "w"));
    ok(await elapsed >= 350, "the wait ran to its timeout");
  },
);

listenerTest("a notification while nobody waits wakes the next wait at once", async (queues) => {
  await queues.other.enqueue({ name: "x", input: null });
  await sleep(200);
  ok(await timed(queues.waiter.waitForWork(10_000)) < 100, "the missed notification counts");
  ok(await timed(queues.waiter.waitForWork(300)) >= 250, "only once");
});

listenerTest("close() ends a pending wait", async ({ waiter }) => {
  const pending = timed(waiter.waitForWork(10_000));
  await waiter.close();
  ok(await pending < 1_000);
  ok(await timed(waiter.waitForWork(10_000)) < 100, "a closed queue does not wait");
});
