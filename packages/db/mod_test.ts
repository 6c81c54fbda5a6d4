import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/db exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "type AssembledSchema",
    "assembleSchema",
    "CLIENT_DIR",
    "DB_ERROR_CODES",
    "type DbErrorCode",
    "type EngineInfo",
    "ENGINES",
    "renderSchemaHeader",
    "resolveDatabaseUrl",
    "type ResolveDatabaseUrlOptions",
    "SCHEMA_DIR",
    "type SchemaFile",
    "writeAssembledSchema",
  ]);
  deepEqual(await exportNames(new URL("./migrate/mod.ts", import.meta.url)), [
    "type EngineSchemaFile",
    "loadSchemaEngine",
    "LOCK_FILE",
    "type MigrationList",
    "type MigrationStatus",
    "Migrator",
    "type MigratorOptions",
    "PRISMA_VERSION",
    "readMigrations",
    "schemaEngineVersion",
    "type WasmEngine",
  ]);
});
