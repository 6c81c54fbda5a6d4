import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts";
import { assembleSchema, renderSchemaHeader, SCHEMA_DIR, writeAssembledSchema } from "./mod.ts";

async function workspace(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "netscript-db-" });
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), content);
  }
  return root;
}

const NOTE = "model Note {\n  id String @id\n}\n";
const JOB =
  "enum JobState {\n  queued\n  done\n}\n\nmodel Job {\n  id String @id\n  state JobState\n}\n";

Deno.test("assembleSchema() merges the header, the app's files and plugin fragments", async () => {
  const root = await workspace({
    "database/schema.prisma": NOTE,
    "database/billing/invoice.prisma": "model Invoice {\n  id String @id\n}\n",
    "database/migrations/20260101_init/migration.sql": "-- ignored",
    "plugins/workers/database/workers.prisma": JOB,
  });
  try {
    const schema = await assembleSchema(root, {
      engine: "postgres",
      fragments: [{
        plugin: "workers",
        path: "plugins/workers/database/workers.prisma",
        engine: "postgres",
      }],
    });
    equal(schema.directory, SCHEMA_DIR);
    deepEqual(schema.files.map((f) => [f.source, f.path]), [
      [".netscript/db/schema/_netscript.prisma", "_netscript.prisma"],
      ["database/billing/invoice.prisma", "app/billing/invoice.prisma"],
      ["database/schema.prisma", "app/schema.prisma"],
      ["plugins/workers/database/workers.prisma", "plugins/workers/database/workers.prisma"],
    ]);
    match(schema.files[0]!.content, /provider = "postgresql"/);
    match(schema.files[0]!.content, /output {3}= "..\/client"/);
    await writeAssembledSchema(root, schema);
    equal(
      await Deno.readTextFile(join(root, SCHEMA_DIR, "plugins/workers/database/workers.prisma")),
      JOB,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("renderSchemaHeader() names the provider of each engine", () => {
  for (
    const [engine, provider] of [
      ["postgres", "postgresql"],
      ["mysql", "mysql"],
      ["mssql", "sqlserver"],
      ["sqlite", "sqlite"],
    ] as const
  ) {
    match(renderSchemaHeader(engine), new RegExp(`provider = "${provider}"`));
  }
});

Deno.test("assembleSchema() rejects a model or enum declared twice, naming both files", async () => {
  const root = await workspace({
    "database/schema.prisma": JOB.replace("enum JobState", "enum Other"),
    "plugins/workers/database/workers.prisma": JOB,
  });
  try {
    await rejects(
      assembleSchema(root, {
        engine: "sqlite",
        fragments: [{
          plugin: "workers",
          path: "plugins/workers/database/workers.prisma",
          engine: "sqlite",
        }],
      }),
      (error: unknown) => {
        ok(isNetScriptError(error, "DB_DUPLICATE_MODEL"));
        match(
          error.message,
          /The model "Job" is declared in both database\/schema\.prisma:\d+ and plugins\/workers\/database\/workers\.prisma:\d+/,
        );
        return true;
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("assembleSchema() rejects generators and datasources in schema files", async () => {
  for (
    const block of [
      'datasource db {\n  provider = "sqlite"\n}\n',
      'generator client {\n  provider = "prisma-client"\n}\n',
    ]
  ) {
    const root = await workspace({ "database/schema.prisma": `${NOTE}\n${block}` });
    try {
      await rejects(assembleSchema(root, { engine: "sqlite", fragments: [] }), (error: unknown) => {
        ok(isNetScriptError(error, "DB_FRAGMENT_INVALID"));
        match(
          error.message,
          /database\/schema\.prisma:\d+ declares a (datasource|generator); schema files may only declare models and enums/,
        );
        return true;
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  }
});

Deno.test("assembleSchema() ignores blocks inside comments", async () => {
  const root = await workspace({ "database/schema.prisma": `// datasource db {\n${NOTE}` });
  try {
    const schema = await assembleSchema(root, { engine: "sqlite", fragments: [] });
    equal(schema.files.length, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("assembleSchema() leaves out fragments written for another engine", async () => {
  const root = await workspace({
    "database/schema.prisma": "model Note {\n  id Int @id\n}\n",
    "plugins/workers/database/workers.prisma": JOB,
  });
  try {
    const fragments = [{
      plugin: "workers",
      path: "plugins/workers/database/workers.prisma",
      engine: "postgres" as const,
    }];
    const sqlite = await assembleSchema(root, { engine: "sqlite", fragments });
    ok(!sqlite.files.some((f) => f.source === "plugins/workers/database/workers.prisma"));
    const postgres = await assembleSchema(root, { engine: "postgres", fragments });
    ok(postgres.files.some((f) => f.source === "plugins/workers/database/workers.prisma"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
