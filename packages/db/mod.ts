/**
 * Databases for NetScript workspaces: the engines, the connection URL, the
 * schema assembled from the app's `database/*.prisma` and plugins'
 * fragments, and driver adapters for the generated Prisma client
 * (`@netscript/db/adapters/<engine>`). Migrations live in
 * `@netscript/db/migrate`.
 *
 * @example
 * ```ts
 * import { ENGINES, resolveDatabaseUrl } from "@netscript/db";
 *
 * console.log(ENGINES.postgres.provider); // "postgresql"
 * console.log(resolveDatabaseUrl("sqlite", { sqliteFile: "./app.db", env: () => undefined }));
 * ```
 *
 * @module
 */
export { DB_ERROR_CODES, type DbErrorCode } from "./db_error_codes.ts";
export { resolveDatabaseUrl, type ResolveDatabaseUrlOptions } from "./database_url.ts";
export { type EngineInfo, ENGINES } from "./engines.ts";
export {
  type AssembledSchema,
  assembleSchema,
  CLIENT_DIR,
  renderSchemaHeader,
  SCHEMA_DIR,
  type SchemaFile,
  writeAssembledSchema,
} from "./schema_assembly.ts";
