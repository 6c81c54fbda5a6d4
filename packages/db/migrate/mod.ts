/**
 * Migrations for PostgreSQL and SQLite with Prisma's schema engine compiled
 * to WebAssembly, in-process: no native engine, no download. MySQL and SQL
 * Server need Prisma's native engine (see `netscript db`).
 *
 * @module
 */
export {
  type MigrationStatus,
  Migrator,
  type MigratorOptions,
  type WasmEngine,
} from "./migrator.ts";
export { LOCK_FILE, type MigrationList, readMigrations } from "./migrations_dir.ts";
export {
  type EngineSchemaFile,
  loadSchemaEngine,
  PRISMA_VERSION,
  schemaEngineVersion,
} from "./schema_engine.ts";
