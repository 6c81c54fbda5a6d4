import { deepEqual, equal, rejects } from "node:assert/strict";
import pg from "pg";
import { z } from "zod";
import { postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { defineSaga } from "../../dsl/define_saga.ts";
import { createPostgresSagaStore } from "./mod.ts";
import { startSagaInTransaction } from "./start_in_transaction.ts";
import { freshSagasDatabase } from "./testdata/sagas_database.ts";

const order = defineSaga({
  name: "order",
  input: z.object({ orderId: z.string() }),
  run: () => {},
});

Deno.test({
  name: "startSagaInTransaction starts a saga only when the caller's transaction commits",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshSagasDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const store = createPostgresSagaStore({ url: database.url });
    try {
      await client.query("BEGIN");
      const started = await startSagaInTransaction(client, order, { orderId: "o-1" }, {
        id: "order-o-1",
      });
      deepEqual(started, { id: "order-o-1", state: "running", created: true });
      equal(await store.get("order-o-1"), null, "not visible before the commit");
      await client.query("ROLLBACK");
      equal(await store.get("order-o-1"), null, "gone with the rollback");

      await client.query("BEGIN");
      await startSagaInTransaction(client, order, { orderId: "o-1" }, { id: "order-o-1" });
      const waking = store.waitForWork(10_000);
      await client.query("COMMIT");
      await waking;
      equal((await store.get("order-o-1"))!.saga.input, '{"orderId":"o-1"}');
      deepEqual(
        await startSagaInTransaction(client, order, { orderId: "o-1" }, { id: "order-o-1" }),
        { id: "order-o-1", state: "running", created: false },
      );
      await rejects(
        startSagaInTransaction(client, order, { orderId: 7 } as never),
        { code: "SAGAS_INVALID_INPUT" },
      );
      const other = defineSaga({ name: "other", input: z.unknown(), run: () => {} });
      await rejects(startSagaInTransaction(client, other, {}, { id: "order-o-1" }), {
        code: "SAGAS_ID_CONFLICT",
      });
    } finally {
      await client.end();
      await store.close();
      await database.drop();
    }
  },
});

Deno.test({
  name: "startSagaInTransaction names the missing tables",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshSagasDatabase({ tables: false });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await rejects(startSagaInTransaction(client, order, { orderId: "o-1" }), {
        code: "SCHEMA_MISSING",
      });
    } finally {
      await client.end();
      await database.drop();
    }
  },
});
