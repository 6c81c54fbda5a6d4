import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { LOCAL_DATABASE_URLS } from "@netscript/plugin";
import { loadWorkspaceEnv } from "../env/workspace_env.ts";
import { databaseName, serverDatabaseUrl } from "./database_url.ts";

Deno.test("serverDatabaseUrl() takes DATABASE_URL, then DB_URI, from the environment then .env, else the local default", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "netscript-dburl-" });
  try {
    const envWith = async (dotenv: string, real: Record<string, string> = {}) => {
      await Deno.writeTextFile(join(root, ".env"), dotenv);
      return await loadWorkspaceEnv(root, { env: (name) => real[name] });
    };
    await t.step("nothing set: the engine's local default", async () => {
      deepEqual(serverDatabaseUrl("postgres", await envWith("")), {
        url: LOCAL_DATABASE_URLS.postgres,
        source: "default",
      });
      equal(serverDatabaseUrl("mysql", await envWith("")).url, "mysql://root@127.0.0.1:3306/app");
    });
    await t.step(".env DATABASE_URL", async () => {
      deepEqual(serverDatabaseUrl("postgres", await envWith("DATABASE_URL=postgresql://x/a")), {
        url: "postgresql://x/a",
        source: ".env DATABASE_URL",
      });
    });
    await t.step("DATABASE_URL from .env comes before DB_URI from the environment", async () => {
      const env = await envWith("DATABASE_URL=postgresql://file/a", {
        DB_URI: "postgresql://aspire/b",
      });
      deepEqual(serverDatabaseUrl("postgres", env), {
        url: "postgresql://file/a",
        source: ".env DATABASE_URL",
      });
    });
    await t.step("the environment's DATABASE_URL wins over .env", async () => {
      const env = await envWith("DATABASE_URL=postgresql://file/a", {
        DATABASE_URL: "postgresql://real/b",
      });
      deepEqual(serverDatabaseUrl("postgres", env), {
        url: "postgresql://real/b",
        source: "DATABASE_URL",
      });
    });
    await t.step("an empty value counts as unset", async () => {
      const env = await envWith("DATABASE_URL=\nDB_URI=postgresql://aspire/c\n");
      deepEqual(serverDatabaseUrl("postgres", env), {
        url: "postgresql://aspire/c",
        source: ".env DB_URI",
      });
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("databaseName() reads the database from a URL", () => {
  equal(databaseName("postgresql://postgres:pw@127.0.0.1:5432/my_app?schema=x"), "my_app");
  equal(databaseName("mysql://root@127.0.0.1:3306/shop"), "shop");
  equal(databaseName("sqlserver://127.0.0.1:1433;database=app;user=sa"), "app");
  equal(databaseName("postgresql://127.0.0.1:5432"), undefined);
});
