/**
 * The store errors of the better-auth database: what its drivers throw when
 * it cannot be used, as `STORE_UNAVAILABLE` or `SCHEMA_MISSING`, with
 * advice that fits a database another app owns.
 *
 * @module
 */
import { NetScriptError, type StoreErrorCode } from "@netscript/contracts/errors";
import { classifyStoreError } from "@netscript/store";

/** What services name the database as, in a `503`'s `data.dependency`. */
const DEPENDENCY = "better-auth database";

/** PostgreSQL's undefined table and undefined column. */
const PG_SCHEMA_STATES: ReadonlySet<string> = new Set(["42P01", "42703"]);

/** SQLite's missing table or column. */
const SQLITE_SCHEMA_MESSAGE = /no such (table|column)/i;

/**
 * SQLite primary result codes that mean the file cannot be used now: busy,
 * locked, read-only, I/O error, corrupt, full, cannot open, not a database.
 */
const SQLITE_UNAVAILABLE_CODES: ReadonlySet<number> = new Set([5, 6, 8, 10, 11, 13, 14, 26]);

/** SQLite failures that carry no result code (opening the file). */
const SQLITE_UNAVAILABLE_MESSAGE = /unable to open database|file is not a database/i;

/** Deno's errors for a file this process may not read or write. */
const FILE_PERMISSION_ERRORS: ReadonlySet<string> = new Set(["NotCapable", "PermissionDenied"]);

/**
 * Classifies a failure of a statement on the app's PostgreSQL database.
 *
 * @param error What `pg` threw.
 * @param target The server and database, without credentials.
 * @returns `SCHEMA_MISSING`, `STORE_UNAVAILABLE`, or `error` unchanged.
 */
export function postgresStoreError(error: unknown, target: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && PG_SCHEMA_STATES.has(code)) {
    return _schemaMissingError(_message(error), target, error, { sqlState: code });
  }
  return classifyStoreError(error, {
    driver: "postgres",
    target,
    dependency: DEPENDENCY,
    label: "the better-auth database",
  });
}

/**
 * Classifies a failure of opening or querying the app's SQLite file.
 *
 * @param error What `node:sqlite` threw.
 * @param path The file.
 * @returns `SCHEMA_MISSING`, `STORE_UNAVAILABLE`, or `error` unchanged.
 */
export function sqliteStoreError(error: unknown, path: string): unknown {
  if (error instanceof NetScriptError) return error;
  const message = _message(error);
  if (SQLITE_SCHEMA_MESSAGE.test(message)) return _schemaMissingError(message, path, error);
  const code = (error as { errcode?: unknown } | null)?.errcode;
  const primary = typeof code === "number" ? code & 0xff : undefined;
  if (
    (primary !== undefined && SQLITE_UNAVAILABLE_CODES.has(primary)) ||
    SQLITE_UNAVAILABLE_MESSAGE.test(message) ||
    (error instanceof Error && FILE_PERMISSION_ERRORS.has(error.name))
  ) {
    return sqliteUnavailableError(message, path, error);
  }
  return error;
}

/**
 * The error for an SQLite file that cannot be opened or used.
 *
 * @param reason What went wrong.
 * @param path The file.
 * @param cause The underlying error.
 * @returns A `STORE_UNAVAILABLE` error.
 */
export function sqliteUnavailableError(
  reason: string,
  path: string,
  cause?: unknown,
): NetScriptError<StoreErrorCode> {
  return new NetScriptError<StoreErrorCode>(
    "STORE_UNAVAILABLE",
    `Cannot open the better-auth database at "${path}": ${
      reason.replace(/[.\s]+$/, "")
    }; check that the path names the better-auth app's SQLite file and that this process may read and write it`,
    {
      details: { target: path, dependency: DEPENDENCY },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function _schemaMissingError(
  reason: string,
  target: string,
  cause: unknown,
  details: Record<string, unknown> = {},
): NetScriptError<StoreErrorCode> {
  return new NetScriptError<StoreErrorCode>(
    "SCHEMA_MISSING",
    `The better-auth tables (user, session) in the database at ${target} are missing or out of date (${reason}); point the backend at the better-auth app's database, or run the app's migrations (npx @better-auth/cli migrate)`,
    { details: { ...details, target, dependency: DEPENDENCY }, cause },
  );
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
