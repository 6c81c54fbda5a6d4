import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { createLogger } from "@netscript/telemetry";
import { pgQuery, postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { createPostgresJobQueue, type PostgresJobQueue } from "./mod.ts";
import { freshWorkersDatabase } from "./testdata/workers_database.ts";

const quiet = createLogger({ service: "workers-test", sink: () => {} });

/** A test with a queue on a fresh workers database. */
function queueTest(name: string, fn: (queue: PostgresJobQueue, url: string) => Promise<void>) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn() {
      assertAvailable(postgres, "postgres");
      const database = await freshWorkersDatabase();
      const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
      try {
        await fn(queue, database.url);
      } finally {
        await queue.close();
        await database.drop();
      }
    },
  });
}

/** The watched pairs, as stored. */
async function watchedRows(url: string): Promise<Record<string, unknown>[]> {
  return await pgQuery(url, "SELECT name, state FROM workers_watched_states ORDER BY name, state");
}

/** Cancels a new job of `name`; returns its id. */
async function cancelled(queue: PostgresJobQueue, name: string): Promise<string> {
  const { id } = await queue.enqueue({ name, input: null });
  ok(await queue.cancel(id));
  return id;
}

queueTest(
  "watchStates stores each pair once and leaves out pairs no job can reach",
  async (queue, url) => {
    await queue.watchStates([
      { name: "email", state: "dead" },
      { name: "email", state: "dead" },
      { name: "bad\u0000name", state: "dead" },
      { name: "email", state: "lone \uD800" },
      { name: "report", state: "cancelled" },
    ]);
    deepEqual(await watchedRows(url), [
      { name: "email", state: "dead" },
      { name: "report", state: "cancelled" },
    ]);
  },
);

queueTest(
  "watching the same pairs from many callers at once agrees on them",
  async (queue, url) => {
    const pairs = [{ name: "email", state: "dead" }, { name: "report", state: "cancelled" }];
    const others = [1, 2, 3].map(() => createPostgresJobQueue({ url, logger: quiet }));
    try {
      await Promise.all([queue, ...others].map((each) => each.watchStates(pairs)));
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
    deepEqual(await watchedRows(url), [
      { name: "email", state: "dead" },
      { name: "report", state: "cancelled" },
    ]);
  },
);

queueTest("events carry the seq as their id and the database's time", async (queue, url) => {
  await queue.watchStates([{ name: "email", state: "cancelled" }]);
  const ids = [await cancelled(queue, "email"), await cancelled(queue, "email")];
  const events = await queue.readStateEvents(10);
  deepEqual(events.map((event) => event.id), ["1", "2"]);
  deepEqual(events.map((event) => event.subject), ids);
  const [row] = await pgQuery(
    url,
    "SELECT finished_at FROM workers_jobs WHERE id = (SELECT job_id FROM workers_state_events WHERE seq = 1)",
  );
  equal(events[0]!.at.getTime(), (row!.finished_at as Date).getTime(), "written with the change");
});

queueTest("removeStateEvents ignores ids that are not the store's", async (queue) => {
  await queue.watchStates([{ name: "email", state: "cancelled" }]);
  await cancelled(queue, "email");
  await queue.removeStateEvents([
    "",
    "01",
    "1.0",
    " 1",
    "-1",
    "0",
    "abc",
    "99",
    "9223372036854775808",
    "99999999999999999999",
  ]);
  deepEqual((await queue.readStateEvents(10)).map((event) => event.id), ["1"]);
  await queue.removeStateEvents([]);
  await queue.removeStateEvents(["1"]);
  deepEqual(await queue.readStateEvents(10), []);
});

queueTest("readStateEvents refuses a limit that is not a positive integer", async (queue) => {
  for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    await rejects(queue.readStateEvents(limit), RangeError);
  }
});
