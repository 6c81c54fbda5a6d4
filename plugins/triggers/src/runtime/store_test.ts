import { equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/store";
import { freshPostgresDatabase, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { openDeliveryStore } from "./store.ts";

Deno.test("openDeliveryStore() opens Deno KV at TRIGGERS_KV_PATH when no PostgreSQL URL is set", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-triggers-store-" });
  try {
    const path = `${dir}/nested/triggers.kv`;
    const opened = await openDeliveryStore(
      envFrom({ DATABASE_URL: "file:./app.db", TRIGGERS_KV_PATH: path }),
    );
    try {
      equal(opened.kind, "kv");
      equal(opened.location, path);
      const { id } = await opened.store.record({ trigger: "ping", source: "manual", payload: 1 });
      equal((await opened.store.get(id))?.payload, 1);
    } finally {
      await opened.store.close();
    }
    ok((await Deno.stat(path)).isFile, "the folder is created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openDeliveryStore() refuses TRIGGERS_STORE=redis, with or without a Redis URL", async () => {
  for (
    const env of [{ TRIGGERS_STORE: "redis" }, {
      TRIGGERS_STORE: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    }]
  ) {
    await rejects(openDeliveryStore(envFrom(env)), (error: unknown) => {
      ok(isNetScriptError(error, "STORE_INVALID"), String(error));
      match(
        error.message,
        /^TRIGGERS_STORE=redis is not supported: .*set TRIGGERS_STORE to postgres or kv/,
      );
      equal(error.details.store, "redis");
      return true;
    }, JSON.stringify(env));
  }
});

Deno.test("openDeliveryStore() refuses an unknown TRIGGERS_STORE", async () => {
  await rejects(openDeliveryStore(envFrom({ TRIGGERS_STORE: "mongo" })), (error: unknown) => {
    ok(isNetScriptError(error, "STORE_INVALID"), String(error));
    equal(error.message, 'TRIGGERS_STORE must be "postgres" or "kv" (got "mongo")');
    equal(error.details.variable, "TRIGGERS_STORE");
    return true;
  });
});

Deno.test({
  name:
    "openDeliveryStore() opens PostgreSQL when DATABASE_URL is a PostgreSQL URL, and hides its password",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      const url = new URL(database.url);
      url.password = "hunter2";
      const opened = await openDeliveryStore(envFrom({ DATABASE_URL: url.href }));
      try {
        equal(opened.kind, "postgres");
        ok(opened.location.endsWith(url.pathname), opened.location);
        ok(!opened.location.includes("hunter2"), "the password is not in the location");
      } finally {
        await opened.store.close();
      }
    } finally {
      await database.drop();
    }
  },
});
