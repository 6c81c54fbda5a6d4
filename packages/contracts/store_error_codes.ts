/**
 * The codes every store adapter (PostgreSQL, Redis, Deno KV) raises when its
 * store cannot be used right now, whichever plugin owns the store. Services
 * built with `@netscript/service` answer a handler error with one of these
 * codes as `SERVICE_UNAVAILABLE` (503), and log the full error.
 *
 * @module
 */
import { NetScriptError } from "./netscript_error.ts";

/**
 * The store codes and what each means, with what to do about it.
 *
 * @example List the codes
 * ```ts
 * import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
 *
 * console.log(Object.keys(STORE_ERROR_CODES)); // ["STORE_UNAVAILABLE", "SCHEMA_MISSING"]
 * ```
 */
export const STORE_ERROR_CODES = {
  STORE_UNAVAILABLE:
    "the store (a PostgreSQL database, a Redis server, a Deno KV file) cannot be reached or opened; check that the server runs at the address in the message, or that the file's folder exists and is writable; services answer 503 SERVICE_UNAVAILABLE meanwhile",
  SCHEMA_MISSING:
    "the store's tables are missing or older than the code; run netscript db migrate (netscript db deploy in production); services answer 503 SERVICE_UNAVAILABLE meanwhile",
} as const;

/** One of {@linkcode STORE_ERROR_CODES}: `STORE_UNAVAILABLE` or `SCHEMA_MISSING`. */
export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/**
 * Tells whether an error says a store cannot be used right now: a
 * {@linkcode NetScriptError} with `STORE_UNAVAILABLE` or `SCHEMA_MISSING`.
 *
 * @param error Anything caught.
 * @returns `true` for a store error.
 *
 * @example
 * ```ts
 * import { isStoreError, NetScriptError } from "@netscript/contracts/errors";
 *
 * console.log(isStoreError(new NetScriptError("STORE_UNAVAILABLE", "Cannot reach the store"))); // true
 * console.log(isStoreError(new Error("boom"))); // false
 * ```
 */
export function isStoreError(error: unknown): error is NetScriptError<StoreErrorCode> {
  return error instanceof NetScriptError && Object.hasOwn(STORE_ERROR_CODES, error.code);
}
