import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import pg from "pg";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createLogger } from "@netscript/telemetry";
import { configStoreConformance } from "../../testing/mod.ts";
import { freshPostgresDatabase, pgQuery, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import type { ConfigStore } from "../../config_store.ts";
import { createPostgresConfigStore } from "./mod.ts";

const quiet = createLogger({ service: "runtime-config-test", sink: () => {} });

/** A Postgres test on a fresh database: skipped with the printed reason when PostgreSQL is unreachable. */
function pgTest(name: string, fn: (url: string, t: Deno.TestContext) => Promise<void>) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn(t) {
      assertAvailable(postgres, "postgres");
      const database = await freshPostgresDatabase();
      try {
        await fn(database.url, t);
      } finally {
        await database.drop();
      }
    },
  });
}

/** Opens stores on one database and closes them all after `body`. */
async function withStores(
  url: string,
  count: number,
  body: (stores: ConfigStore[]) => Promise<void>,
): Promise<void> {
  const stores = await Promise.all(
    Array.from({ length: count }, () => createPostgresConfigStore({ url, logger: quiet })),
  );
  try {
    await body(stores);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

/** Awaits `promise`, failing after five seconds; the timer is always cleared. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), 5_000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `body` with a watch of `topic`; `next()` returns its next value within five seconds. */
async function withWatch(
  store: ConfigStore,
  topic: string,
  body: (next: () => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const iterator = store.watch(topic, { signal: controller.signal })[Symbol.asyncIterator]();
  try {
    await body(async () => {
      const result = await within(iterator.next(), `the next value of "${topic}"`);
      if (result.done) throw new Error("The watch ended early");
      return result.value?.value;
    });
  } finally {
    controller.abort();
    await iterator.return?.();
  }
}

pgTest(
  "createPostgresConfigStore() conforms to the config store port",
  (url, t) =>
    configStoreConformance(t, async () => {
      const store = await createPostgresConfigStore({ url, logger: quiet });
      await pgQuery(url, "TRUNCATE netscript.config_topics");
      return store;
    }),
);

pgTest("the Postgres store keeps its table in the netscript schema, out of public", async (url) => {
  await withStores(url, 1, async ([store]) => {
    await store!.write("workers", { concurrency: 2 });
  });
  const tables = await pgQuery(
    url,
    "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('public', 'netscript')",
  );
  deepEqual(tables, [{ table_schema: "netscript", table_name: "config_topics" }]);
  const [row] = await pgQuery(url, "SELECT topic, value, revision FROM netscript.config_topics");
  deepEqual(row, { topic: "workers", value: { concurrency: 2 }, revision: "1" });
});

pgTest("concurrent opens of a fresh database all succeed", async (url) => {
  await withStores(url, 6, async (stores) => {
    await Promise.all(stores.map((store, i) => store.write(`topic-${i}`, i)));
    equal((await stores[0]!.read("topic-5"))?.value, 5);
  });
});

pgTest("a write notifies netscript_config with the topic's name only", async (url) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const notified = new Promise<pg.Notification>((resolve) =>
      client.once("notification", resolve)
    );
    await client.query("LISTEN netscript_config");
    await withStores(url, 1, async ([store]) => {
      await store!.write("workers", { big: "x".repeat(10_000) });
    });
    const notification = await within(notified, "the notification");
    equal(notification.channel, "netscript_config");
    equal(notification.payload, "workers");
  } finally {
    await client.end();
  }
});

pgTest("a watch on one Postgres store sees writes through another", async (url) => {
  await withStores(url, 2, async ([reader, writer]) => {
    await withWatch(reader!, "workers", async (next) => {
      equal(await next(), undefined);
      await writer!.write("workers", { concurrency: 3 });
      deepEqual(await next(), { concurrency: 3 });
      await writer!.write("workers", { concurrency: 4 });
      deepEqual(await next(), { concurrency: 4 });
    });
  });
});

pgTest("a watch reads again after its listening connection is cut", async (url) => {
  await withStores(url, 2, async ([reader, writer]) => {
    await withWatch(reader!, "workers", async (next) => {
      equal(await next(), undefined);
      await writer!.write("workers", "before");
      equal(await next(), "before", "the listener is up");
      const [terminated] = await pgQuery(
        url,
        `SELECT count(*)::int AS n FROM (
           SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name = 'netscript-config-listener' AND datname = current_database()
         ) AS cut`,
      );
      equal(terminated?.n, 1);
      await writer!.write("workers", "while reconnecting");
      equal(await next(), "while reconnecting");
      await writer!.write("workers", "after");
      equal(await next(), "after", "notifications flow again");
    });
  });
});

Deno.test("createPostgresConfigStore() fails with STORE_UNAVAILABLE without showing the password", async () => {
  await rejects(
    createPostgresConfigStore({
      url: "postgresql://app:s3cret-pw@127.0.0.1:1/app",
      connectTimeoutMs: 2_000,
      logger: quiet,
    }),
    (error: unknown) => {
      if (!isNetScriptError(error, "STORE_UNAVAILABLE")) return false;
      ok(error.message.includes("postgresql://app:***@127.0.0.1:1/app"), error.message);
      ok(!error.message.includes("s3cret-pw"), error.message);
      ok(!JSON.stringify(error).includes("s3cret-pw"));
      return true;
    },
  );
});
