import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  mariadb,
  MARIADB_URL,
  pgQuery,
  postgres,
  POSTGRES_URL,
} from "../../../tests/support/databases.ts";
import { assertAvailable } from "../../../tests/support/requirements.ts";
import { createDatabase } from "./create_database.ts";

const uniqueName = () => `netscript_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;

Deno.test({
  name: "createDatabase() creates a missing PostgreSQL database once",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const name = uniqueName();
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    try {
      deepEqual(await createDatabase("postgres", url.href), { name, created: true });
      deepEqual(await pgQuery(url.href, "select current_database() as name"), [{ name }]);
      deepEqual(await createDatabase("postgres", url.href), { name, created: false });
    } finally {
      await pgQuery(POSTGRES_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  },
});

Deno.test({
  name: "createDatabase() creates a missing MySQL database once",
  ignore: mariadb.ignore,
  async fn() {
    assertAvailable(mariadb, "mariadb");
    const name = uniqueName();
    const url = `${MARIADB_URL.replace(/\/$/, "")}/${name}`;
    const { createConnection } = await import("mariadb");
    try {
      deepEqual(await createDatabase("mysql", url), { name, created: true });
      deepEqual(await createDatabase("mysql", url), { name, created: false });
    } finally {
      const server = new URL(MARIADB_URL);
      const admin = await createConnection({
        host: server.hostname,
        port: Number(server.port || 3306),
        user: decodeURIComponent(server.username),
        password: decodeURIComponent(server.password),
      });
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
  },
});

Deno.test("createDatabase() refuses what it cannot create, without the password", async (t) => {
  const refuses = (engine: "postgres" | "sqlite" | "mssql", url: string, pattern: RegExp) =>
    rejects(createDatabase(engine, url), (error: unknown) => {
      ok(error instanceof NetScriptError);
      equal(error.code, "DB_CREATE_FAILED");
      ok(pattern.test(error.message), error.message);
      ok(!error.message.includes("hunter2"), error.message);
      return true;
    });
  await t.step(
    "a URL without a database",
    () => refuses("postgres", "postgresql://u:hunter2@127.0.0.1:5432", /names no database/),
  );
  await t.step("SQLite", () => refuses("sqlite", "file:/tmp/x.db", /SQLite needs no database/));
  await t.step(
    "SQL Server",
    () =>
      refuses("mssql", "sqlserver://127.0.0.1:1433;database=app", /supports postgres and mysql/),
  );
  await t.step("a server that does not answer", () =>
    refuses(
      "postgres",
      "postgresql://u:hunter2@127.0.0.1:1/app",
      /^Cannot create the postgres database at postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/app: .*check that the server runs/,
    ));
});
