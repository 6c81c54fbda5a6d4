import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import pg from "pg";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import {
  assertExclusiveClaims,
  assertKindLimitShared,
  jobQueueConformance,
} from "../../testing/mod.ts";
import {
  freshPostgresDatabase,
  pgQuery,
  postgres,
} from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { createPostgresJobQueue } from "./mod.ts";
import { z } from "zod";
import { defineJob } from "../../dsl/define_job.ts";
import { createWorker } from "../../runtime/worker.ts";
import type { WorkerEvent } from "../../runtime/settle_outcome.ts";
import {
  freshWorkersDatabase,
  type TestDatabase,
  truncateWorkersTables,
} from "./testdata/workers_database.ts";

const quiet = createLogger({ service: "workers-test", sink: () => {} });

/** A Postgres test: skipped with the printed reason when PostgreSQL is unreachable. */
function pgTest(name: string, fn: (database: TestDatabase, t: Deno.TestContext) => Promise<void>) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn(t) {
      assertAvailable(postgres, "postgres");
      const database = await freshWorkersDatabase();
      try {
        await fn(database, t);
      } finally {
        await database.drop();
      }
    },
  });
}

pgTest(
  "PostgresJobQueue conforms to the job queue port",
  (database, t) =>
    jobQueueConformance(t, async () => {
      await truncateWorkersTables(database.url);
      return createPostgresJobQueue({ url: database.url, logger: quiet });
    }),
);

pgTest("two queues on two pools claim 500 jobs at once without sharing one", async (database) => {
  const queues = [1, 2].map(() => createPostgresJobQueue({ url: database.url, logger: quiet }));
  try {
    await assertExclusiveClaims(queues);
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
});

pgTest("two queues on two pools keep a job kind's limit together", async (database) => {
  const queues = [1, 2].map(() => createPostgresJobQueue({ url: database.url, logger: quiet }));
  try {
    await assertKindLimitShared(queues);
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
});

pgTest(
  "a watch set through one pool records the changes made through another",
  async (database) => {
    const [watcher, worker] = [1, 2].map(() =>
      createPostgresJobQueue({ url: database.url, logger: quiet })
    );
    try {
      await watcher!.watchStates([{ name: "email", state: "completed" }]);
      const { id } = await worker!.enqueue({ name: "email", input: null });
      await worker!.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["email"] });
      ok(await worker!.complete(id, "w"));
      const events = await watcher!.readStateEvents(10);
      deepEqual(events.map(({ name, subject, state }) => ({ name, subject, state })), [
        { name: "email", subject: id, state: "completed" },
      ]);
      await watcher!.removeStateEvents(events.map((event) => event.id));
      deepEqual(await worker!.readStateEvents(10), [], "removed for every pool");
      await worker!.watchStates([]);
      const { id: next } = await watcher!.enqueue({ name: "email", input: null });
      ok(await watcher!.cancel(next));
      deepEqual(await watcher!.readStateEvents(10), []);
    } finally {
      await Promise.all([watcher!.close(), worker!.close()]);
    }
  },
);

pgTest(
  "without the state event tables, settling fails with SCHEMA_MISSING and changes nothing",
  async (database) => {
    await pgQuery(database.url, "DROP TABLE workers_watched_states, workers_state_events");
    const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
    try {
      const { id } = await queue.enqueue({ name: "email", input: null });
      await queue.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["email"] });
      for (
        const call of [
          () => queue.complete(id, "w"),
          () => queue.fail(id, "w", "x", null),
          () => queue.fail(id, "w", "x", new Date()),
          () => queue.watchStates([]),
          () => queue.readStateEvents(1),
        ]
      ) {
        await rejects(call(), (error: unknown) => {
          ok(isNetScriptError(error, "SCHEMA_MISSING"), String(error));
          match(error.message, /workers tables .* are missing .*run netscript db migrate/);
          return true;
        });
      }
      equal((await queue.get(id))!.state, "running");
    } finally {
      await queue.close();
    }
  },
);

pgTest("concurrent enqueues of one uniqueKey from two pools agree on one job", async (database) => {
  const queues = [1, 2].map(() => createPostgresJobQueue({ url: database.url, logger: quiet }));
  try {
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        Array.from(
          { length: 10 },
          (_, i) => queues[i % 2]!.enqueue({ name: "x", input: i, uniqueKey: `k${round}` }),
        ),
      );
      equal(new Set(results.map((r) => r.id)).size, 1, "one id");
      equal(results.filter((r) => !r.deduplicated).length, 1, "one insert");
    }
    equal((await queues[0]!.list()).total, 5);
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
});

pgTest("enqueueMany is atomic: a bad job leaves none of the batch", async (database) => {
  const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
  try {
    await rejects(queue.enqueueMany([
      { name: "x", input: 1, uniqueKey: "a" },
      { name: "x", input: "\u0000" },
    ]));
    equal((await queue.list()).total, 0);
    await rejects(queue.enqueueMany([{ name: "x", input: 1 }, { name: "x", input: "\u0000" }]));
    equal((await queue.list()).total, 0);
  } finally {
    await queue.close();
  }
});

pgTest("close() leaves a pool it was given open", async (database) => {
  const pool = new pg.Pool({ connectionString: database.url });
  try {
    const queue = createPostgresJobQueue({ pool, logger: quiet });
    await queue.enqueue({ name: "x", input: null });
    await queue.waitForWork(1_000);
    await queue.close();
    deepEqual((await pool.query("select count(*)::int as n from workers_jobs")).rows, [{ n: 1 }]);
  } finally {
    await pool.end();
  }
});

Deno.test("an unreachable database fails with STORE_UNAVAILABLE naming the host", async () => {
  const queue = createPostgresJobQueue({
    url: "postgresql://postgres@127.0.0.1:1/app",
    logger: quiet,
  });
  try {
    for (const call of [() => queue.enqueue({ name: "x", input: null }), () => queue.stats()]) {
      await rejects(call(), (error: unknown) => {
        ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
        match(error.message, /Cannot reach the workers job store at 127\.0\.0\.1:1\/app: /);
        return true;
      });
    }
    const started = Date.now();
    await queue.waitForWork(300);
    ok(Date.now() - started >= 250, "without a listener, a wait times out");
  } finally {
    await queue.close();
  }
});

Deno.test({
  name: "missing tables fail with SCHEMA_MISSING, pointing at netscript db migrate",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
    try {
      for (
        const call of [() => queue.enqueue({ name: "x", input: null }), () => queue.lastTick("s")]
      ) {
        await rejects(call(), (error: unknown) => {
          ok(isNetScriptError(error, "SCHEMA_MISSING"), String(error));
          match(error.message, /workers tables .* are missing .*run netscript db migrate/);
          return true;
        });
      }
    } finally {
      await queue.close();
      await database.drop();
    }
  },
});

pgTest(
  "a handler error holding a NUL is recorded, replaced, and the job dies at once",
  async (database) => {
    const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
    const events: WorkerEvent[] = [];
    const worker = createWorker({
      queue,
      jobs: [
        defineJob({
          name: "nul",
          input: z.null(),
          retry: { attempts: 1 },
          handler: () => {
            throw new Error("bad\u0000byte \uD800");
          },
        }),
      ],
      pollMs: 20,
      leaseMs: 60_000,
      logger: quiet,
      onEvent: (event) => events.push(event),
    });
    try {
      const { id } = await queue.enqueue({ name: "nul", input: null, maxAttempts: 1 });
      const running = worker.start();
      // An error that cannot be recorded holds the job until its lease runs out (60 s here).
      for (let i = 0; i < 1_000 && !events.some((event) => event.type === "dead"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await worker.stop();
      await running;
      const job = (await queue.get(id))!;
      equal(job.state, "dead");
      match(job.lastError!, /bad\uFFFDbyte \uFFFD/);
    } finally {
      await queue.close();
    }
  },
);
