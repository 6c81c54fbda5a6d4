/**
 * The in-process migrator against real databases. Each work-around for
 * Prisma's WebAssembly engine has a test here, so an upgrade that breaks
 * one fails loudly.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts";
import { assertAvailable } from "../../../tests/support/requirements.ts";
import {
  freshPostgresDatabase,
  pgQuery,
  postgres,
  POSTGRES_URL,
} from "../../../tests/support/databases.ts";
import { renderSchemaHeader } from "../mod.ts";
import { Migrator, PRISMA_VERSION, schemaEngineVersion, type WasmEngine } from "./mod.ts";
import { writeMigration } from "./migrations_dir.ts";

const NOTE = "model Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n";
const WITH_TAGS = NOTE.replace(
  "text String",
  "text String\n  tags String?\n  pinned Boolean @default(false)",
);
const WITHOUT_TEXT = NOTE.replace("  text String\n", "");

function schema(engine: WasmEngine, models: string) {
  return [
    { path: "_netscript.prisma", content: renderSchemaHeader(engine) },
    { path: "database/schema.prisma", content: models },
  ];
}

/** Migration folder names have one-second resolution; keep them ordered. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_050));

Deno.test("the schema engine is the one prisma 7.10.1 ships", async () => {
  equal(PRISMA_VERSION, "7.10.1");
  equal(await schemaEngineVersion(), "d1b3f377ca835d73fd50954a5e22128b9ebdd6b8");
});

async function sqliteCase(fn: (url: string, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "netscript-migrate-" });
  try {
    await fn(`file:${join(dir, "app.db")}`, join(dir, "migrations"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("SQLite: status on a never-migrated database reports nothing pending (work-around 5)", () =>
  sqliteCase(async (url, migrationsDir) => {
    const migrator = await Migrator.open({
      engine: "sqlite",
      url,
      migrationsDir,
      schema: schema("sqlite", NOTE),
    });
    try {
      const status = await migrator.status();
      equal(status.upToDate, true);
    } finally {
      await migrator.close();
    }
  }));

Deno.test("SQLite: a second migration replays a multi-statement first one on the shadow database (work-around 6)", () =>
  sqliteCase(async (url, migrationsDir) => {
    const two = "model Tag {\n  id Int @id\n}\n";
    let migrator = await Migrator.open({
      engine: "sqlite",
      url,
      migrationsDir,
      schema: schema("sqlite", NOTE + two),
    });
    const first = await migrator.migrate("init");
    await migrator.close();
    match(
      await Deno.readTextFile(join(migrationsDir, first.created!, "migration.sql")),
      /CREATE TABLE "Note"[\s\S]*CREATE TABLE "Tag"/,
    );
    await nextSecond();
    migrator = await Migrator.open({
      engine: "sqlite",
      url,
      migrationsDir,
      schema: schema("sqlite", WITH_TAGS + two),
    });
    try {
      const second = await migrator.migrate("add_tags");
      ok(second.created?.endsWith("_add_tags"));
      match(
        await Deno.readTextFile(join(migrationsDir, second.created!, "migration.sql")),
        /CREATE TABLE "new_Note"[\s\S]*"tags" TEXT[\s\S]*DROP TABLE "Note"/,
      );
      equal((await migrator.status()).upToDate, true);
    } finally {
      await migrator.close();
    }
  }));

Deno.test("SQLite: reset recreates the file and deploy re-applies every migration (work-around 7)", () =>
  sqliteCase(async (url, migrationsDir) => {
    const migrator = await Migrator.open({
      engine: "sqlite",
      url,
      migrationsDir,
      schema: schema("sqlite", NOTE),
    });
    try {
      await migrator.migrate("init");
      await migrator.reset();
      deepEqual((await migrator.status()).pending.length, 1);
      equal((await migrator.deploy()).applied.length, 1);
      equal((await migrator.status()).upToDate, true);
    } finally {
      await migrator.close();
    }
  }));

Deno.test({
  name: "PostgreSQL: migrate twice, with a shadow database dropped each time (work-arounds 1-4)",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    const dir = await Deno.makeTempDir({ prefix: "netscript-migrate-" });
    try {
      const migrationsDir = join(dir, "migrations");
      let migrator = await Migrator.open({
        engine: "postgres",
        url: database.url,
        migrationsDir,
        schema: schema("postgres", NOTE),
      });
      const first = await migrator.migrate("init");
      await migrator.close();
      deepEqual(first.applied, [first.created]);
      await nextSecond();
      migrator = await Migrator.open({
        engine: "postgres",
        url: database.url,
        migrationsDir,
        schema: schema("postgres", WITH_TAGS),
      });
      try {
        const second = await migrator.migrate("add_tags");
        const sql = await Deno.readTextFile(join(migrationsDir, second.created!, "migration.sql"));
        match(
          sql,
          /ALTER TABLE "Note" ADD COLUMN {5}"pinned" BOOLEAN NOT NULL DEFAULT false,\s*ADD COLUMN {5}"tags" TEXT;/,
        );
        const columns = await pgQuery(
          database.url,
          "select column_name from information_schema.columns where table_name = 'Note' order by 1",
        );
        deepEqual(columns.map((c) => c.column_name), ["id", "pinned", "tags", "text"]);
        equal((await migrator.status()).upToDate, true);
        equal(await migrator.diff(), "-- This is an empty migration.\n");
      } finally {
        await migrator.close();
      }
      const shadows = await pgQuery(
        POSTGRES_URL,
        "select count(*)::int as n from pg_database where datname like 'netscript_shadow_%'",
      );
      equal(shadows[0]!.n, 0, "every shadow database was dropped");
      equal(
        await Deno.readTextFile(join(migrationsDir, "migration_lock.toml")).then((t) =>
          t.includes('provider = "postgresql"')
        ),
        true,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
      await database.drop();
    }
  },
});

Deno.test({
  name: "PostgreSQL: drift, data-loss refusal and a migration that would fail change nothing",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    const dir = await Deno.makeTempDir({ prefix: "netscript-migrate-" });
    const migrationsDir = join(dir, "migrations");
    const open = (models: string) =>
      Migrator.open({
        engine: "postgres",
        url: database.url,
        migrationsDir,
        schema: schema("postgres", models),
      });
    try {
      let migrator = await open(NOTE);
      await migrator.migrate("init");
      await migrator.close();
      await pgQuery(database.url, `insert into "Note" (text) values ('keep me')`);
      await nextSecond();

      await t.step("dropping a column that holds data needs acceptDataLoss", async () => {
        migrator = await open(WITHOUT_TEXT);
        try {
          await rejects(migrator.migrate("drop_text"), (error: unknown) => {
            ok(isNetScriptError(error, "DB_DATA_LOSS"));
            match(
              error.message,
              /drop the column `text` on the `Note` table, which still contains 1 non-null values/,
            );
            return true;
          });
          equal([...Deno.readDirSync(migrationsDir)].length, 2, "no migration folder was written");
        } finally {
          await migrator.close();
        }
      });

      await t.step(
        "a required column without a default on a table with rows is refused before anything is written",
        async () => {
          migrator = await open(NOTE.replace("text String", "text String\n  owner String"));
          try {
            await rejects(migrator.migrate("add_owner"), (error: unknown) => {
              ok(
                isNetScriptError(error, "DB_MIGRATION_FAILED") ||
                  isNetScriptError(error, "DB_DATA_LOSS"),
                String(error),
              );
              return true;
            });
            equal([...Deno.readDirSync(migrationsDir)].length, 2);
            const rows = await pgQuery(database.url, `select text from "Note"`);
            deepEqual(rows, [{ text: "keep me" }]);
          } finally {
            await migrator.close();
          }
        },
      );

      await t.step("a change made outside the migrations is reported as drift", async () => {
        await pgQuery(database.url, `alter table "Note" add column sneaky int`);
        migrator = await open(NOTE);
        try {
          const status = await migrator.status();
          equal(status.upToDate, false);
          match(status.drift ?? "", /Drift detected/);
          await rejects(
            migrator.migrate("more"),
            (error: unknown) => isNetScriptError(error, "DB_DRIFT"),
          );
        } finally {
          await migrator.close();
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
      await database.drop();
    }
  },
});

const NOTE_SQL: Record<WasmEngine, string> = {
  postgres:
    'CREATE TABLE "Note" (\n    "id" SERIAL NOT NULL,\n    "text" TEXT NOT NULL,\n\n    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")\n);\n',
  sqlite:
    'CREATE TABLE "Note" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "text" TEXT NOT NULL\n);\n',
};
const INIT = "20240101000000_init";
const TAG = "model Tag {\n  id Int @id\n}\n";

/** Writes one existing migration (a teammate's, or one a template ships) into `migrationsDir`. */
async function shippedMigration(engine: WasmEngine, migrationsDir: string): Promise<void> {
  await writeMigration(
    migrationsDir,
    INIT,
    NOTE_SQL[engine],
    engine === "postgres" ? "postgresql" : "sqlite",
  );
}

/** Runs `fn` with a fresh, empty database of `engine` and an empty migrations folder. */
async function freshCase(
  engine: WasmEngine,
  fn: (url: string, migrationsDir: string) => Promise<void>,
): Promise<void> {
  if (engine === "sqlite") return await sqliteCase(fn);
  assertAvailable(postgres, "postgres");
  const database = await freshPostgresDatabase();
  const dir = await Deno.makeTempDir({ prefix: "netscript-migrate-" });
  try {
    await fn(database.url, join(dir, "migrations"));
  } finally {
    await Deno.remove(dir, { recursive: true });
    await database.drop();
  }
}

for (const engine of ["sqlite", "postgres"] as const) {
  const label = engine === "sqlite" ? "SQLite" : "PostgreSQL";
  const ignore = engine === "postgres" ? postgres.ignore : false;

  Deno.test({
    name:
      `${label}: migrate on an empty database applies an existing migration, then creates the next one`,
    ignore,
    fn: () =>
      freshCase(engine, async (url, migrationsDir) => {
        await shippedMigration(engine, migrationsDir);
        const migrator = await Migrator.open({
          engine,
          url,
          migrationsDir,
          schema: schema(engine, NOTE + TAG),
        });
        try {
          const result = await migrator.migrate("next");
          ok(result.created?.endsWith("_next"), String(result.created));
          deepEqual(result.applied, [INIT, result.created]);
          match(
            await Deno.readTextFile(join(migrationsDir, result.created!, "migration.sql")),
            /CREATE TABLE "Tag"/,
          );
          equal((await migrator.status()).upToDate, true);
        } finally {
          await migrator.close();
        }
      }),
  });

  Deno.test({
    name: `${label}: migrate applies a teammate's new migration, then creates the next one`,
    ignore,
    fn: () =>
      freshCase(engine, async (url, migrationsDir) => {
        await shippedMigration(engine, migrationsDir);
        const open = (models: string) =>
          Migrator.open({ engine, url, migrationsDir, schema: schema(engine, models) });
        let migrator = await open(NOTE);
        await migrator.migrate("init");
        await migrator.close();
        await writeMigration(
          migrationsDir,
          "20240102000000_tag",
          'CREATE TABLE "Tag" (\n    "id" INTEGER NOT NULL PRIMARY KEY\n);\n',
          engine,
        );
        migrator = await open(WITH_TAGS + TAG);
        try {
          const result = await migrator.migrate("next");
          ok(result.created?.endsWith("_next"), String(result.created));
          deepEqual(result.applied, ["20240102000000_tag", result.created]);
          equal((await migrator.status()).upToDate, true);
        } finally {
          await migrator.close();
        }
      }),
  });

  Deno.test({
    name:
      `${label}: migrate on an empty database with an unchanged schema applies the existing migration and creates nothing`,
    ignore,
    fn: () =>
      freshCase(engine, async (url, migrationsDir) => {
        await shippedMigration(engine, migrationsDir);
        const migrator = await Migrator.open({
          engine,
          url,
          migrationsDir,
          schema: schema(engine, NOTE),
        });
        try {
          deepEqual(await migrator.migrate("next"), {
            created: null,
            applied: [INIT],
            warnings: [],
          });
          deepEqual([...Deno.readDirSync(migrationsDir)].map((e) => e.name).sort(), [
            INIT,
            "migration_lock.toml",
          ]);
          equal((await migrator.status()).upToDate, true);
        } finally {
          await migrator.close();
        }
      }),
  });
}
