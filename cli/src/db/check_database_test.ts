import { deepEqual } from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { composeRegistry } from "@netscript/plugin";
import { checkDatabase } from "./check_database.ts";

const SCHEMA = `model Note {
  id String @id
}

model Tag {
  id String @id

  @@map("tags")
}
`;

/** A workspace with two models and two migrations, and its SQLite file's URL. */
async function withWorkspace(use: (root: string, file: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "netscript-check-db-" });
  try {
    await Deno.mkdir(join(root, "database"), { recursive: true });
    await Deno.writeTextFile(join(root, "database", "schema.prisma"), SCHEMA);
    for (const name of ["20260101000000_init", "20260102000000_tags"]) {
      await Deno.mkdir(join(root, "database", "migrations", name), { recursive: true });
      await Deno.writeTextFile(join(root, "database", "migrations", name, "migration.sql"), "");
    }
    await use(root, join(root, "app.db"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Creates the SQLite file with `tables` and Prisma's history of `history`. */
function seed(file: string, tables: string[], history: [string, "finished" | "started"][]) {
  const database = new DatabaseSync(file);
  try {
    for (const table of tables) database.exec(`create table "${table}" (id text primary key)`);
    database.exec(
      "create table _prisma_migrations (migration_name text, finished_at text, rolled_back_at text)",
    );
    for (const [name, state] of history) {
      database.prepare("insert into _prisma_migrations values (?, ?, null)")
        .run(name, state === "finished" ? "2026-01-01" : null);
    }
  } finally {
    database.close();
  }
}

const check = (root: string, file: string) =>
  checkDatabase(root, { engine: "sqlite", url: `file:${file}`, registry: composeRegistry([]) });

Deno.test("checkDatabase() reports a missing database, its pending migrations and missing tables", async () => {
  await withWorkspace(async (root, file) => {
    deepEqual(await check(root, file), [
      {
        check: "database exists",
        status: "fail",
        detail: "app.db does not exist",
        fix: "netscript db deploy (creates the file)",
      },
      {
        check: "migrations",
        status: "fail",
        detail: "2 pending: 20260101000000_init, 20260102000000_tags",
        fix: "netscript db deploy",
      },
      {
        check: "tables",
        status: "fail",
        detail: "missing: Note, tags",
        fix: "netscript db deploy",
      },
    ]);
  });
});

Deno.test("checkDatabase() lists what is pending in a database that is partly migrated", async () => {
  await withWorkspace(async (root, file) => {
    seed(file, ["Note"], [["20260101000000_init", "finished"]]);
    const [exists, migrations, tables] = await check(root, file);
    deepEqual(exists?.status, "ok");
    deepEqual(migrations, {
      check: "migrations",
      status: "fail",
      detail: "1 pending: 20260102000000_tags",
      fix: "netscript db deploy",
    });
    deepEqual(tables, {
      check: "tables",
      status: "fail",
      detail: "missing: tags",
      fix: "netscript db deploy",
    });
  });
});

Deno.test("checkDatabase() passes a database with every migration and table", async () => {
  await withWorkspace(async (root, file) => {
    seed(file, ["Note", "tags"], [["20260101000000_init", "finished"], [
      "20260102000000_tags",
      "finished",
    ]]);
    deepEqual((await check(root, file)).map((f) => [f.check, f.status, f.detail]), [
      ["database exists", "ok", "app.db"],
      ["migrations", "ok", "2 applied"],
      ["tables", "ok", "every model has its table"],
    ]);
  });
});

Deno.test("checkDatabase() names a failed migration, and a model no migration creates", async () => {
  await withWorkspace(async (root, file) => {
    seed(file, ["Note"], [["20260101000000_init", "finished"], ["20260102000000_tags", "started"]]);
    const [, migrations] = await check(root, file);
    deepEqual([migrations?.status, migrations?.detail], ["fail", "failed: 20260102000000_tags"]);
  });
  await withWorkspace(async (root, file) => {
    await Deno.remove(join(root, "database", "migrations", "20260102000000_tags"), {
      recursive: true,
    });
    seed(file, ["Note"], [["20260101000000_init", "finished"]]);
    const [, migrations, tables] = await check(root, file);
    deepEqual(migrations?.status, "ok");
    deepEqual(tables, {
      check: "tables",
      status: "fail",
      detail: "missing: tags",
      fix: "netscript db migrate --name <change> (writes and applies a migration for them)",
    });
  });
});
