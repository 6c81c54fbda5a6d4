import { equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/store";
import { freshPluginDatabase, pgQuery, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { openSagaStore } from "./store.ts";

/** The plugin's schema fragment, which `netscript db migrate` applies. */
const SAGAS_FRAGMENT = new URL("../../scaffold/database/sagas.prisma", import.meta.url);

Deno.test("openSagaStore() opens Deno KV at SAGAS_KV_PATH when no PostgreSQL URL is set", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-sagas-store-" });
  try {
    const path = `${dir}/nested/sagas.kv`;
    const opened = await openSagaStore(
      envFrom({ DATABASE_URL: "file:./app.db", SAGAS_KV_PATH: path }),
    );
    try {
      equal(opened.kind, "kv");
      equal(opened.location, path);
      await opened.store.start({ id: "s-1", name: "greet", version: 1, input: "{}" });
      equal((await opened.store.get("s-1"))?.saga.state, "running");
    } finally {
      await opened.store.close();
    }
    ok((await Deno.stat(path)).isFile, "the folder is created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openSagaStore() refuses SAGAS_STORE=redis and an unknown SAGAS_STORE", async () => {
  await rejects(
    openSagaStore(envFrom({ SAGAS_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379" })),
    (error: unknown) => {
      ok(isNetScriptError(error, "STORE_INVALID"), String(error));
      match(
        error.message,
        /^SAGAS_STORE=redis is not supported: .*set SAGAS_STORE to postgres or kv/,
      );
      return true;
    },
  );
  await rejects(openSagaStore(envFrom({ SAGAS_STORE: "mongo" })), (error: unknown) => {
    ok(isNetScriptError(error, "STORE_INVALID"), String(error));
    equal(error.message, 'SAGAS_STORE must be "postgres" or "kv" (got "mongo")');
    return true;
  });
});

Deno.test({
  name:
    "openSagaStore() opens PostgreSQL when DATABASE_URL is a PostgreSQL URL, on the plugin's tables, and hides its password",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPluginDatabase([{ plugin: "sagas", file: SAGAS_FRAGMENT }]);
    try {
      const opened = await openSagaStore(envFrom({ DATABASE_URL: database.url }));
      try {
        equal(opened.kind, "postgres");
        ok(!opened.location.includes("hunter2"));
        await opened.store.start({ id: "s-1", name: "greet", version: 1, input: '{"a":1}' });
      } finally {
        await opened.store.close();
      }
      const rows = await pgQuery(database.url, "select id, state, input from sagas_runs");
      equal(
        JSON.stringify(rows),
        JSON.stringify([{ id: "s-1", state: "running", input: '{"a":1}' }]),
      );
      const url = new URL(database.url);
      url.password = "hunter2";
      const hidden = await openSagaStore(envFrom({ DATABASE_URL: url.href }));
      ok(!hidden.location.includes("hunter2"), hidden.location);
      await hidden.store.close();
    } finally {
      await database.drop();
    }
  },
});
