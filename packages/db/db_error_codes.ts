/**
 * The error codes of `@netscript/db`, as a typed catalog. The `netscript db`
 * commands raise these and a few of their own (in `CLI_ERROR_CODES` of
 * `@netscript/cli`).
 *
 * @module
 */

/**
 * Every code `@netscript/db` raises, with what it means and what to do.
 *
 * @example
 * ```ts
 * import { DB_ERROR_CODES } from "@netscript/db";
 *
 * console.log(DB_ERROR_CODES.DB_DATA_LOSS);
 * ```
 */
export const DB_ERROR_CODES = {
  DB_URL_NOT_FOUND:
    "Neither DATABASE_URL nor DB_URI is set, and the engine is not SQLite. Set DATABASE_URL (the message gives an example for the engine).",
  DB_UNREACHABLE:
    "The database did not answer: the server is down, the host, port or database is wrong, or the credentials are refused. Start the server, create the database, or correct DATABASE_URL.",
  DB_FRAGMENT_INVALID:
    "A schema file declares a datasource, generator, type or view, or a plugin's schema fragment cannot be read. Remove the block (NetScript writes the generator and the datasource), or fix the path in the plugin's withDbSchemas().",
  DB_DUPLICATE_MODEL:
    "Two schema files declare a model or enum of one name; the message names both. Rename one of them.",
  DB_DATA_LOSS:
    "The schema change drops data, or may fail on existing rows; nothing was applied. Change the model (a default, an optional field), move the data first, or run again with --accept-data-loss.",
  DB_MIGRATION_FAILED:
    "A new migration failed its trial run (nothing was written or applied), a migration failed while being applied, or Prisma's CLI failed. Read the database's or Prisma's reason in the message, fix the data or the model, and run again.",
  DB_DRIFT:
    "The database no longer matches its migration history (it was changed outside the migrations). On a development database run netscript db reset --force; elsewhere find and undo the outside change.",
  DB_SHADOW_UNAVAILABLE:
    "The shadow database used to check a new migration cannot be created. On PostgreSQL give the database user the CREATEDB privilege, or use netscript db deploy, which needs none.",
} as const;

/** One of {@linkcode DB_ERROR_CODES}. */
export type DbErrorCode = keyof typeof DB_ERROR_CODES;
