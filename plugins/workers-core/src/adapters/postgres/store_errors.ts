/**
 * Turns driver failures a caller is expected to handle into NetScript
 * errors: the database cannot be reached (`WORKERS_STORE_UNAVAILABLE`), or
 * its workers tables are missing (`WORKERS_SCHEMA_MISSING`).
 *
 * @module
 */
import type { ClientConfig } from "pg";
import { NetScriptError } from "@netscript/contracts/errors";
import { NETWORK_ERROR_CODES } from "../network_errors.ts";

/**
 * SQLSTATEs that mean the server is not usable for this connection: the
 * connection exception class, shutdowns, a database that does not exist,
 * and refused authentication.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|3D000|28000|28P01)$/;

/** Undefined table or column: the tables are missing or older than this adapter. */
const SCHEMA_STATES = new Set(["42P01", "42703"]);

/** `pg`'s own connection failures, which carry no code. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable/;

/**
 * Names the server and database a connection config points at, without
 * credentials, for error messages.
 *
 * @param config A `pg` client or pool config.
 * @returns `host:port/database`.
 */
export function describeTarget(config: ClientConfig): string {
  if (config.connectionString !== undefined) {
    try {
      const url = new URL(config.connectionString);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return "the PostgreSQL server in the connection string";
    }
  }
  return `${config.host ?? "localhost"}:${config.port ?? 5432}/${config.database ?? ""}`;
}

/**
 * Classifies a failure of a statement or a connection.
 *
 * @param error What the driver threw.
 * @param target Where the store is, from {@linkcode describeTarget}.
 * @returns A `WORKERS_STORE_UNAVAILABLE` or `WORKERS_SCHEMA_MISSING` error,
 * or `error` itself when it is neither.
 */
export function storeError(error: unknown, target: string): unknown {
  if (error instanceof NetScriptError) return error;
  const { code, message } = _driverFailure(error);
  if (code !== undefined && SCHEMA_STATES.has(code)) {
    return new NetScriptError(
      "WORKERS_SCHEMA_MISSING",
      `The workers tables in the database at ${target} are missing or out of date (${message}); run netscript db migrate (netscript db deploy in production) to create them`,
      { details: { target, sqlState: code }, cause: error },
    );
  }
  const network = code !== undefined &&
    (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_STATES.test(code));
  if (network || PG_CONNECTION_MESSAGES.test(message)) {
    return new NetScriptError(
      "WORKERS_STORE_UNAVAILABLE",
      `Cannot reach the workers job store at ${target}: ${message}; check that PostgreSQL is running there and that the database URL is right`,
      { details: { target, ...(code === undefined ? {} : { code }) }, cause: error },
    );
  }
  return error;
}

/** What the driver threw, as seen through Prisma when it ran the statement. */
interface DriverFailure {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } };
}

/**
 * The driver's code (`pg`'s SQLSTATE or Node's errno name) and message;
 * for a Prisma error, the database's own code and message it wraps.
 */
function _driverFailure(error: unknown): { code: string | undefined; message: string } {
  if (typeof error !== "object" || error === null) {
    return { code: undefined, message: String(error) };
  }
  const failure = error as DriverFailure;
  const original = failure.meta?.driverAdapterError?.cause;
  const code = original?.originalCode ?? failure.code;
  const message = original?.originalMessage ?? failure.message;
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : String(error),
  };
}
