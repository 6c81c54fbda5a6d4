import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import pg from "pg";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import { postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { createPostgresJobQueue, enqueueInTransaction, type PostgresJobQueue } from "./mod.ts";
import { generatePrismaClient } from "./testdata/prisma_client.ts";
import { freshWorkersDatabase } from "./testdata/workers_database.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = createLogger({ service: "workers-test", sink: () => {} });
const claimAll = (queue: PostgresJobQueue, name: string) =>
  queue.claim({ workerId: "w", limit: 10, leaseMs: 60_000, names: [name] });

/** Tells whether a promise has settled by the time the current tasks ran. */
function tracked(promise: Promise<void>): { settled: () => boolean; done: Promise<void> } {
  let settled = false;
  const done = promise.then(() => {
    settled = true;
  });
  return { settled: () => settled, done };
}

/** Renames the jobs table inside the transaction, which then rolls back. */
const HIDE_TABLE = "ALTER TABLE workers_jobs RENAME TO workers_jobs_hidden";

const isSchemaMissing = (error: unknown) => {
  ok(isNetScriptError(error, "SCHEMA_MISSING"), String(error));
  return true;
};

Deno.test({
  name: "enqueueInTransaction() with a pg client: the job exists exactly when the data commits",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshWorkersDatabase();
    const pool = new pg.Pool({ connectionString: database.url });
    const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
    const inTransaction = async <T>(body: (client: pg.PoolClient) => Promise<T>) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        return await body(client);
      } finally {
        await client.query("ROLLBACK");
        client.release();
      }
    };
    try {
      await pool.query("CREATE TABLE orders (id text PRIMARY KEY)");

      await t.step("rolled back: neither the order nor the job exists", async () => {
        const { id } = await inTransaction(async (client) => {
          await client.query("INSERT INTO orders VALUES ('o1')");
          return await enqueueInTransaction(client, { name: "receipt", input: { order: "o1" } });
        });
        equal(await queue.get(id), null);
        deepEqual((await pool.query("SELECT * FROM orders")).rows, []);
      });

      await t.step(
        "committed: claimable, and before the commit invisible to workers and silent",
        async () => {
          await queue.waitForWork(10_000);
          const client = await pool.connect();
          try {
            await client.query("BEGIN");
            await client.query("INSERT INTO orders VALUES ('o2')");
            const [a, b] = await enqueueInTransaction(client, [
              { name: "receipt", input: { order: "o2" }, uniqueKey: "receipt:o2" },
              { name: "receipt", input: { order: "o2" }, uniqueKey: "receipt:o2" },
            ]);
            deepEqual(b, { id: a!.id, deduplicated: true });
            const wake = tracked(queue.waitForWork(10_000));
            deepEqual(await claimAll(queue, "receipt"), [], "not claimable before the commit");
            equal(await queue.get(a!.id), null);
            await sleep(150);
            equal(wake.settled(), false, "no notification before the commit");
            await client.query("COMMIT");
            await wake.done;
            deepEqual((await claimAll(queue, "receipt")).map((job) => job.id), [a!.id]);
          } finally {
            client.release();
          }
        },
      );

      await t.step("a uniqueKey held by an uncommitted transaction waits for it", async () => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const held = await enqueueInTransaction(client, {
            name: "sync",
            input: 1,
            uniqueKey: "u",
          });
          const other = queue.enqueue({ name: "sync", input: 2, uniqueKey: "u" });
          await sleep(100);
          await client.query("COMMIT");
          deepEqual(await other, { id: held.id, deduplicated: true });
        } finally {
          client.release();
        }
      });

      await t.step("missing tables fail with SCHEMA_MISSING", async () => {
        await inTransaction(async (client) => {
          await client.query(HIDE_TABLE);
          await rejects(enqueueInTransaction(client, { name: "x", input: null }), isSchemaMissing);
        });
      });
    } finally {
      await queue.close();
      await pool.end();
      await database.drop();
    }
  },
});

Deno.test({
  name: "enqueueInTransaction() with a generated Prisma client's interactive transaction",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshWorkersDatabase();
    const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
    const prisma = await generatePrismaClient(database.url);
    const { client: db } = prisma;
    try {
      await rejects(
        db.$transaction(async (tx) => {
          await enqueueInTransaction(tx, { name: "p", input: 1 });
          throw new Error("the order failed");
        }),
        /the order failed/,
      );
      equal((await queue.list({ name: "p" })).total, 0, "rolled back with the transaction");

      const [a, b] = await db.$transaction((tx) =>
        enqueueInTransaction(tx, [
          { name: "p", input: { n: 1 }, uniqueKey: "k", priority: 2, traceparent: "00-ab-cd-01" },
          { name: "p", input: { n: 2 }, uniqueKey: "k" },
        ])
      );
      deepEqual(b, { id: a!.id, deduplicated: true });
      const [job] = await claimAll(queue, "p");
      equal(job!.id, a!.id);
      deepEqual(job!.input, { n: 1 });
      equal(job!.priority, 2);
      equal(job!.traceparent, "00-ab-cd-01");

      await rejects(
        db.$transaction(async (tx) => {
          await tx.$queryRawUnsafe(HIDE_TABLE);
          await enqueueInTransaction(tx, { name: "p", input: null });
        }),
        isSchemaMissing,
      );
      equal((await queue.list()).total, 1, "the table is back: the rename rolled back");
    } finally {
      await prisma.dispose();
      await queue.close();
      await database.drop();
    }
  },
});
