/**
 * End to end: `netscript db` in scaffolded workspaces against real
 * databases: migrate, change a model, migrate again, the `@db` client,
 * plugin fragments, and engines that need Prisma's native engine.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import {
  freshMariadbDatabase,
  freshPostgresDatabase,
  mariadb,
  pgQuery,
  postgres,
} from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";
import { netscriptProcess, REPO_ROOT } from "./support/cli.ts";

async function workspace(db: string): Promise<string> {
  const parent = await Deno.makeTempDir({ prefix: "netscript-db-e2e-" });
  const init = await netscriptProcess(parent, [
    "init",
    "app",
    "--db",
    db,
    "--cache-backend",
    "deno-kv",
    "--no-aspire",
    "--link",
    REPO_ROOT,
  ]);
  equal(init.code, 0, init.stderr);
  const root = join(parent, "app");
  // The scaffold ships its first migration (and on SQLite applies it); these
  // tests start from no migrations, and write the first one themselves.
  for (const folder of ["database/migrations", ".netscript/data"]) {
    await Deno.remove(join(root, folder), { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  return root;
}

/** Creates and reads a note through `import { db } from "@db"` in the workspace. */
async function useDbClient(root: string, env: Record<string, string>): Promise<string> {
  await Deno.writeTextFile(
    join(root, "probe.ts"),
    `import { db } from "@db";
const note = await db.note.create({ data: { id: crypto.randomUUID(), text: "hello from @db" } });
const found = await db.note.findUnique({ where: { id: note.id } });
console.log(JSON.stringify({ text: found?.text, count: await db.note.count() }));
await db.$disconnect();
`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", "probe.ts"],
    cwd: root,
    env: { NO_COLOR: "1", ...env },
  }).output();
  ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

async function addField(root: string) {
  const file = join(root, "database", "schema.prisma");
  await Deno.writeTextFile(
    file,
    (await Deno.readTextFile(file)).replace(
      "  text      String\n",
      "  text      String\n  tags      String?\n",
    ),
  );
}

Deno.test("SQLite workspace: migrate, the @db client, change a model, migrate again", async () => {
  const root = await workspace("sqlite");
  try {
    const first = await netscriptProcess(root, ["db", "migrate", "--name", "init", "--json"]);
    equal(first.code, 0, first.stderr);
    const created = JSON.parse(first.stdout).created as string;
    match(created, /^\d{14}_init$/);
    equal((await netscriptProcess(root, ["db", "generate"])).code, 0);
    deepEqual(JSON.parse(await useDbClient(root, {})), { text: "hello from @db", count: 1 });
    await addField(root);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await netscriptProcess(root, ["db", "migrate", "--name", "add_tags", "--json"]);
    equal(second.code, 0, second.stderr);
    const secondName = JSON.parse(second.stdout).created as string;
    match(
      await Deno.readTextFile(join(root, "database/migrations", secondName, "migration.sql")),
      /ALTER TABLE "Note" ADD COLUMN "tags" TEXT/,
    );
    const status = await netscriptProcess(root, ["db", "status", "--json"]);
    equal(status.code, 0, status.stdout);
    equal(JSON.parse(status.stdout).upToDate, true);
    equal(
      JSON.parse((await netscriptProcess(root, ["db", "deploy", "--json"])).stdout).applied.length,
      0,
    );
  } finally {
    await Deno.remove(join(root, ".."), { recursive: true });
  }
});

Deno.test({
  name:
    "PostgreSQL workspace: DATABASE_URL selects the database; deploy applies the folder to a new one",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const root = await workspace("postgres");
    const dev = await freshPostgresDatabase();
    const prod = await freshPostgresDatabase();
    try {
      const migrate = await netscriptProcess(root, ["db", "migrate", "--name", "init"], {
        DATABASE_URL: dev.url,
      });
      equal(migrate.code, 0, migrate.stderr);
      equal((await netscriptProcess(root, ["db", "generate"])).code, 0);
      deepEqual(JSON.parse(await useDbClient(root, { DATABASE_URL: dev.url })), {
        text: "hello from @db",
        count: 1,
      });
      const deploy = await netscriptProcess(root, ["db", "deploy", "--json"], {
        DATABASE_URL: prod.url,
      });
      equal(deploy.code, 0, deploy.stderr);
      equal(JSON.parse(deploy.stdout).applied.length, 1);
      const tables = await pgQuery(
        prod.url,
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      );
      deepEqual(tables.map((t) => t.table_name), ["Note", "_prisma_migrations"]);
      // Without an exported variable, the workspace's .env names the database.
      await Deno.writeTextFile(join(root, ".env"), `DATABASE_URL=${prod.url}\n`);
      const fromFile = await netscriptProcess(root, ["db", "status", "--json"]);
      equal(fromFile.code, 0, fromFile.stderr);
      equal(JSON.parse(fromFile.stdout).upToDate, true);
      // The @db client follows the same rule: the note lands in prod.
      deepEqual(JSON.parse(await useDbClient(root, {})), { text: "hello from @db", count: 1 });
      deepEqual(await pgQuery(prod.url, 'select text from "Note"'), [{ text: "hello from @db" }]);
    } finally {
      await Deno.remove(join(root, ".."), { recursive: true });
      await dev.drop();
      await prod.drop();
    }
  },
});

Deno.test("a plugin fragment that redeclares an app model is rejected, naming both files", async () => {
  const root = await workspace("sqlite");
  try {
    await Deno.mkdir(join(root, "plugins", "audit", "database"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "plugins", "audit", "plugin.ts"),
      `import { definePlugin } from "@netscript/plugin";\n\nexport default definePlugin("audit", "1.0.0")\n  .withDbSchemas([{ path: "./database/audit.prisma", engine: "sqlite" }])\n  .build();\n`,
    );
    await Deno.writeTextFile(
      join(root, "plugins", "audit", "database", "audit.prisma"),
      "model Note {\n  id String @id\n}\n",
    );
    const generate = await netscriptProcess(root, ["db", "generate"]);
    equal(generate.code, 1);
    match(
      generate.stderr,
      /error\[DB_DUPLICATE_MODEL\]: The model "Note" is declared in both database\/schema\.prisma:\d+ and plugins\/audit\/database\/audit\.prisma:\d+/,
    );
    await Deno.writeTextFile(
      join(root, "plugins", "audit", "database", "audit.prisma"),
      "model AuditEntry {\n  id String @id\n}\n",
    );
    equal((await netscriptProcess(root, ["db", "migrate", "--name", "init"])).code, 0);
    const sql = await Deno.readTextFile(
      join(
        root,
        "database/migrations",
        [...Deno.readDirSync(join(root, "database/migrations"))].find((e) => e.isDirectory)!.name,
        "migration.sql",
      ),
    );
    match(sql, /CREATE TABLE "AuditEntry"/);
    match(sql, /CREATE TABLE "Note"/);
  } finally {
    await Deno.remove(join(root, ".."), { recursive: true });
  }
});

Deno.test({
  name: "MySQL workspace: the typed client works; migrations explain what the native engine needs",
  ignore: mariadb.ignore,
  async fn() {
    assertAvailable(mariadb, "mariadb");
    const root = await workspace("mysql");
    const database = await freshMariadbDatabase([
      "CREATE TABLE Note (id VARCHAR(191) NOT NULL PRIMARY KEY, text VARCHAR(191) NOT NULL, createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))",
    ]);
    try {
      equal((await netscriptProcess(root, ["db", "generate"])).code, 0);
      deepEqual(JSON.parse(await useDbClient(root, { DATABASE_URL: database.url })), {
        text: "hello from @db",
        count: 1,
      });
      const migrate = await netscriptProcess(root, ["db", "migrate", "--name", "init"], {
        DATABASE_URL: database.url,
      });
      equal(migrate.code, 1);
      match(
        migrate.stderr,
        /error\[DB_NATIVE_ENGINE_REQUIRED\]: Migrations for mysql need Prisma's native schema engine/,
      );
      match(migrate.stderr, /PRISMA_SCHEMA_ENGINE_BINARY/);
      const standIn = await netscriptProcess(root, ["db", "migrate", "--name", "init"], {
        DATABASE_URL: database.url,
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
      });
      equal(standIn.code, 1);
      match(
        standIn.stderr,
        /error\[DB_NATIVE_ENGINE_INVALID\]: PRISMA_SCHEMA_ENGINE_BINARY=\/bin\/true is not the schema engine of Prisma 7\.10\.1/,
      );
      ok(!(await Deno.stat(join(root, "database", "migrations")).then(() => true, () => false)));
    } finally {
      await Deno.remove(join(root, ".."), { recursive: true });
      await database.drop();
    }
  },
});
