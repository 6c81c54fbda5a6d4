/**
 * One classification of driver failures for every store: what PostgreSQL
 * (`pg`, or Prisma over it), Redis (`ioredis`) and Deno KV throw when the
 * store cannot be used becomes a `STORE_UNAVAILABLE` or `SCHEMA_MISSING`
 * NetScript error with a message that says where and what to do, and no
 * password. Anything else (a bug, a bad argument) is left as it is.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { NETWORK_ERROR_CODES } from "./_network_errors.ts";
import { redactSecrets } from "./redact.ts";

/** The drivers whose failures {@linkcode classifyStoreError} knows. */
export type StoreDriver = "postgres" | "redis" | "kv";

/** Which store failed, for the error's message and details. */
export interface StoreErrorOptions {
  /** The driver that threw. */
  readonly driver: StoreDriver;
  /**
   * Where the store is, without credentials: `host:port/database` (see
   * `describePostgresTarget`, `describeRedisTarget`) or a KV file's path.
   * Passwords in it are redacted anyway.
   */
  readonly target: string;
  /**
   * What the store is to the plugin's callers, e.g. `job store`: a service
   * answers `503 SERVICE_UNAVAILABLE` with it as `data.dependency`.
   * @default {"store"}
   */
  readonly dependency?: string | undefined;
  /**
   * How messages name the store, e.g. `the workers job store`.
   * @default {`the ${dependency}`}
   */
  readonly label?: string | undefined;
  /**
   * What a `SCHEMA_MISSING` message says is missing, e.g. `workers tables`.
   * @default {"tables"}
   */
  readonly tables?: string | undefined;
  /** More details for the error, e.g. `{ path }` of a KV file. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** Options of {@linkcode storeUnavailableError}. */
export interface StoreUnavailableOptions extends StoreErrorOptions {
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * SQLSTATEs that mean the server is not usable for this connection: the
 * connection exception class, shutdowns, a database that does not exist,
 * and refused authentication.
 */
const PG_UNAVAILABLE_STATES = /^(08...|57P0[1-3]|3D000|28000|28P01)$/;

/** Undefined table or column: the tables are missing or older than the code. */
const PG_SCHEMA_STATES: ReadonlySet<string> = new Set(["42P01", "42703"]);

/** `pg`'s own connection failures, which carry no code. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable/;

/** ioredis's own failures of a connection or a command waiting for one. */
const REDIS_CLIENT_FAILURES =
  /^(Connection is closed|Reached the max retries per request limit|Stream isn't writeable|Command timed out|None of the sentinels are available)/;

/**
 * Redis replies that mean it cannot serve this client now: still loading,
 * a read-only replica, a lost primary, refused credentials or permissions,
 * a busy script, full memory, failing persistence.
 */
const REDIS_UNAVAILABLE_REPLIES =
  /^(LOADING|READONLY|MASTERDOWN|NOAUTH|WRONGPASS|NOPERM|BUSY|OOM|MISCONF|TRYAGAIN|CLUSTERDOWN) /;

/** SQLite failures of a KV file that cannot be opened or written right now. */
const KV_FAILURES =
  /database is locked|unable to open database|file is not a database|disk I\/O error|readonly database|database disk image is malformed|database closed/i;

/** Deno's file-system errors, thrown by `Deno.openKv` for a path it cannot use. */
const KV_FILE_ERRORS: ReadonlySet<string> = new Set([
  "NotCapable",
  "PermissionDenied",
  "NotFound",
  "NotADirectory",
  "IsADirectory",
  "AlreadyExists",
]);

/** What each driver's unavailable message advises. */
const ADVICE: Readonly<Record<StoreDriver, string>> = {
  postgres: "check that PostgreSQL is running there and that the database URL is right",
  redis: "check that Redis is running there and that the Redis URL is right",
  kv:
    "check that the path names a Deno KV (SQLite) file, or none yet, in a folder this process may write",
};

/**
 * Classifies a failure of a statement, a command, a connection or a file.
 *
 * @param error What the driver threw.
 * @param options The driver, where the store is and how to name it.
 * @returns A `STORE_UNAVAILABLE` or `SCHEMA_MISSING` error, `error` itself
 * when it is already a NetScript error, or `error` unchanged when it is
 * neither (a bug, a bad argument).
 *
 * @example
 * ```ts
 * import { classifyStoreError } from "@netscript/store";
 *
 * const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
 *   code: "ECONNREFUSED",
 * });
 * const error = classifyStoreError(refused, {
 *   driver: "postgres",
 *   target: "127.0.0.1:5432/app",
 *   dependency: "job store",
 * });
 * console.log((error as { code: string }).code); // "STORE_UNAVAILABLE"
 * ```
 */
export function classifyStoreError(error: unknown, options: StoreErrorOptions): unknown {
  if (error instanceof NetScriptError) return error;
  const { code, message } = _driverFailure(error);
  switch (options.driver) {
    case "postgres": {
      if (code !== undefined && PG_SCHEMA_STATES.has(code)) {
        return _schemaMissingError(message, { ...options, cause: error, sqlState: code });
      }
      const down = (code !== undefined &&
        (NETWORK_ERROR_CODES.has(code) || PG_UNAVAILABLE_STATES.test(code))) ||
        PG_CONNECTION_MESSAGES.test(message);
      return down ? storeUnavailableError(message, { ...options, cause: error }) : error;
    }
    case "redis": {
      const down = (code !== undefined && NETWORK_ERROR_CODES.has(code)) ||
        REDIS_CLIENT_FAILURES.test(message) || REDIS_UNAVAILABLE_REPLIES.test(message);
      return down ? storeUnavailableError(message, { ...options, cause: error }) : error;
    }
    case "kv": {
      const name = error instanceof Error ? error.name : "";
      const down = KV_FILE_ERRORS.has(name) || KV_FAILURES.test(message);
      return down ? storeUnavailableError(message, { ...options, cause: error }) : error;
    }
  }
}

/**
 * The error for a store that cannot be reached or opened.
 *
 * @param reason What went wrong, e.g. the driver's message.
 * @param options The driver, where the store is, how to name it and the cause.
 * @returns A `STORE_UNAVAILABLE` error whose details hold `target`,
 * `dependency` and the driver's `code` when it has one.
 *
 * @example
 * ```ts
 * import { storeUnavailableError } from "@netscript/store";
 *
 * const error = storeUnavailableError("the server runs Redis 5.0.7; 6.2 or newer is needed", {
 *   driver: "redis",
 *   target: "127.0.0.1:6379/0",
 *   dependency: "job store",
 * });
 * console.log(error.message);
 * ```
 */
export function storeUnavailableError(
  reason: string,
  options: StoreUnavailableOptions,
): NetScriptError {
  const { code } = _driverFailure(options.cause);
  const where = options.driver === "redis" ? `Redis ${options.target}` : options.target;
  return new NetScriptError(
    "STORE_UNAVAILABLE",
    redactSecrets(
      `Cannot ${options.driver === "kv" ? "open" : "reach"} ${_label(options)} at ${where}: ${
        reason.replace(/[.\s]+$/, "")
      }; ${ADVICE[options.driver]}`,
    ),
    {
      details: {
        ..._details(options),
        ...(code === undefined ? {} : { code }),
      },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    },
  );
}

/**
 * The error for tables that are missing or older than the code.
 *
 * @param reason What the database said.
 * @param options Where the store is, how to name it, the SQLSTATE and the cause.
 * @returns A `SCHEMA_MISSING` error that points at `netscript db migrate`.
 */
function _schemaMissingError(
  reason: string,
  options: StoreUnavailableOptions & { readonly sqlState: string },
): NetScriptError {
  return new NetScriptError(
    "SCHEMA_MISSING",
    redactSecrets(
      `The ${
        options.tables ?? "tables"
      } in the database at ${options.target} are missing or out of date (${reason}); run netscript db migrate (netscript db deploy in production) to create them`,
    ),
    {
      details: { ..._details(options), sqlState: options.sqlState },
      cause: options.cause,
    },
  );
}

function _label(options: StoreErrorOptions): string {
  return options.label ?? `the ${options.dependency ?? "store"}`;
}

function _details(options: StoreErrorOptions): Record<string, unknown> {
  return {
    ...options.details,
    target: redactSecrets(options.target),
    dependency: options.dependency ?? "store",
  };
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
