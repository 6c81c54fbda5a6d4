import { deepEqual, equal, ok } from "node:assert/strict";
import { freshPostgresDatabase, postgres } from "../../tests/support/databases.ts";
import { assertAvailable } from "../../tests/support/requirements.ts";
import { DEFAULT_CONFIG_KV_PATH, envFrom, openConfigStore, selectConfigStore } from "./mod.ts";

Deno.test("selectConfigStore() follows the workspace's database, else a KV file", () => {
  deepEqual(selectConfigStore(envFrom({})), {
    kind: "kv",
    path: DEFAULT_CONFIG_KV_PATH,
    location: ".netscript/data/config.kv",
  });
  deepEqual(
    selectConfigStore(envFrom({ NETSCRIPT_CONFIG_KV_PATH: "/tmp/c.kv" })).location,
    "/tmp/c.kv",
  );
  deepEqual(
    selectConfigStore(envFrom({ DATABASE_URL: "file:./app.db", NETSCRIPT_CONFIG_KV_PATH: "" }))
      .kind,
    "kv",
    "SQLite and an empty variable leave the default",
  );
  const postgresUrl = "postgresql://app:hunter2@db:5432/app";
  deepEqual(selectConfigStore(envFrom({ DB_URI: postgresUrl })), {
    kind: "postgres",
    url: postgresUrl,
    location: "postgresql://app:***@db:5432/app",
  });
  equal(
    selectConfigStore(envFrom({ DATABASE_URL: "mysql://x@db/app", DB_URI: postgresUrl })).kind,
    "kv",
    "DATABASE_URL wins over DB_URI, as for the database client",
  );
});

Deno.test("openConfigStore() opens a KV file, creating its folder, shared by every opener", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-config-" });
  try {
    const env = envFrom({ NETSCRIPT_CONFIG_KV_PATH: `${dir}/data/config.kv` });
    const writer = await openConfigStore(env);
    await writer.write("billing", { batch: 3 });
    await writer.close();
    const reader = await openConfigStore(env);
    equal((await reader.read("billing"))?.revision, 1);
    await reader.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "openConfigStore() opens the workspace's PostgreSQL database when it is one",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      const store = await openConfigStore(envFrom({ DB_URI: database.url }));
      try {
        const written = await store.write("billing", { batch: 9 });
        equal(written.revision, 1);
        ok((await store.read("billing"))?.value);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  },
});
