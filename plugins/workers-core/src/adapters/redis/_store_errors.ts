/**
 * Turns ioredis failures a caller is expected to handle into
 * `WORKERS_STORE_UNAVAILABLE`: the server cannot be reached, refuses the
 * credentials, or cannot serve commands right now.
 *
 * @module
 */
import type { Redis } from "ioredis";
import { NetScriptError } from "@netscript/contracts/errors";
import { NETWORK_ERROR_CODES } from "../network_errors.ts";

/** ioredis's own failures of a connection or a command waiting for one. */
const CLIENT_FAILURES =
  /^(Connection is closed|Reached the max retries per request limit|Stream isn't writeable|Command timed out|None of the sentinels are available)/;

/**
 * Server replies that mean it cannot serve this client now: still loading,
 * a read-only replica, a lost primary, refused credentials or permissions,
 * a busy script, full memory, failing persistence.
 */
const UNAVAILABLE_REPLIES =
  /^(LOADING|READONLY|MASTERDOWN|NOAUTH|WRONGPASS|NOPERM|BUSY|OOM|MISCONF|TRYAGAIN|CLUSTERDOWN) /;

/**
 * Names the server and database a connection points at, without
 * credentials, for messages.
 *
 * @param client The connection.
 * @returns `host:port/db`, or the socket path.
 */
export function describeTarget(client: Redis): string {
  const { host, port, path, db } = client.options;
  return path ? `${path}/${db ?? 0}` : `${host ?? "localhost"}:${port ?? 6379}/${db ?? 0}`;
}

/**
 * The error for a store that cannot be used.
 *
 * @param target Where the store is, from {@linkcode describeTarget}.
 * @param reason What went wrong.
 * @param cause The underlying error.
 * @returns A `WORKERS_STORE_UNAVAILABLE` error.
 */
export function storeUnavailable(target: string, reason: string, cause?: unknown): NetScriptError {
  const code = _failure(cause).code;
  return new NetScriptError(
    "WORKERS_STORE_UNAVAILABLE",
    `Cannot reach the workers job store at Redis ${target}: ${reason}; check that Redis is running there and that the Redis URL is right`,
    { details: { target, ...(code === undefined ? {} : { code }) }, cause },
  );
}

/**
 * Classifies a failure of a command or a connection.
 *
 * @param error What ioredis threw.
 * @param target Where the store is.
 * @returns A `WORKERS_STORE_UNAVAILABLE` error, or `error` itself when the
 * failure is something else (a bug, a bad argument).
 */
export function storeError(error: unknown, target: string): unknown {
  if (error instanceof NetScriptError) return error;
  const { code, message } = _failure(error);
  const unavailable = (code !== undefined && NETWORK_ERROR_CODES.has(code)) ||
    CLIENT_FAILURES.test(message) || UNAVAILABLE_REPLIES.test(message);
  return unavailable ? storeUnavailable(target, message, error) : error;
}

function _failure(error: unknown): { code: string | undefined; message: string } {
  if (typeof error !== "object" || error === null) {
    return { code: undefined, message: String(error) };
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : String(error),
  };
}
