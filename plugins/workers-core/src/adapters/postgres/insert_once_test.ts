import { deepEqual, equal, notEqual } from "node:assert/strict";
import pg from "pg";
import { createLogger } from "@netscript/telemetry";
import { postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { createPostgresJobQueue, enqueueInTransaction, type PostgresJobQueue } from "./mod.ts";
import { freshWorkersDatabase, truncateWorkersTables } from "./testdata/workers_database.ts";

const quiet = createLogger({ service: "workers-test", sink: () => {} });

/** Resolves once a statement of another session waits for a lock. */
async function lockWaiter(pool: pg.Pool): Promise<void> {
  for (;;) {
    const { rows } = await pool.query(
      "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Runs `write` in a transaction on its own connection, starts `enqueue`
 * while that transaction is open, and ends the transaction with `end`
 * once `enqueue` waits for it.
 */
async function racingTransaction<T>(
  pool: pg.Pool,
  write: (client: pg.PoolClient) => Promise<string>,
  enqueue: () => Promise<T>,
  end: "COMMIT" | "ROLLBACK",
): Promise<{ written: string; result: T }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const written = await write(client);
    const pending = enqueue();
    await lockWaiter(pool);
    await client.query(end);
    return { written, result: await pending };
  } finally {
    client.release();
  }
}

Deno.test({
  name: "PostgresJobQueue.enqueueOnce() resolves races with jobs committed after it began",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshWorkersDatabase();
    const pool = new pg.Pool({ connectionString: database.url });
    const step = (name: string, body: (queue: PostgresJobQueue) => Promise<void>) =>
      t.step(name, async () => {
        await truncateWorkersTables(database.url);
        const queue = createPostgresJobQueue({ url: database.url, logger: quiet });
        try {
          await body(queue);
        } finally {
          await queue.close();
        }
      });
    try {
      await step(
        "a uniqueKey committed meanwhile: the key is recorded for that job",
        async (queue) => {
          const { written, result } = await racingTransaction(
            pool,
            async (client) =>
              (await enqueueInTransaction(client, { name: "x", input: 1, uniqueKey: "u" })).id,
            () => queue.enqueueOnce("k", { name: "x", input: 2, uniqueKey: "u" }),
            "COMMIT",
          );
          deepEqual(result, { id: written, deduplicated: true });
          equal((await queue.list()).total, 1);
          deepEqual(await queue.enqueueOnce("k", { name: "x", input: 3 }), result);
        },
      );

      await step("a uniqueKey rolled back meanwhile: the job is added", async (queue) => {
        const { written, result } = await racingTransaction(
          pool,
          async (client) =>
            (await enqueueInTransaction(client, { name: "x", input: 1, uniqueKey: "u" })).id,
          () => queue.enqueueOnce("k", { name: "x", input: 2, uniqueKey: "u" }),
          "ROLLBACK",
        );
        equal(result.deduplicated, false);
        notEqual(result.id, written);
        equal((await queue.get(result.id))!.uniqueKey, "u");
        equal((await queue.list()).total, 1);
      });

      await step("a once-key committed meanwhile: its job is returned", async (queue) => {
        const { written, result } = await racingTransaction(
          pool,
          async (client) => {
            const { id } = await enqueueInTransaction(client, { name: "x", input: 1 });
            await client.query(
              "INSERT INTO workers_once_keys (key, job_id, created_at) VALUES ('k', $1, now())",
              [id],
            );
            return id;
          },
          () => queue.enqueueOnce("k", { name: "x", input: 2 }),
          "COMMIT",
        );
        deepEqual(result, { id: written, deduplicated: true });
        equal((await queue.list()).total, 1);
      });

      await step("a job deleted since: the key still returns its id", async (queue) => {
        const first = await queue.enqueueOnce("k", { name: "x", input: 1 });
        await pool.query("DELETE FROM workers_jobs WHERE id = $1", [first.id]);
        deepEqual(await queue.enqueueOnce("k", { name: "x", input: 2 }), {
          id: first.id,
          deduplicated: true,
        });
        equal((await queue.list()).total, 0);
      });
    } finally {
      await pool.end();
      await database.drop();
    }
  },
});
