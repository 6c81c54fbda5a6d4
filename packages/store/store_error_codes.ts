/**
 * The error codes `@netscript/store` raises besides the framework's shared
 * store codes (`STORE_UNAVAILABLE`, `SCHEMA_MISSING` in
 * `@netscript/contracts/errors`), as a typed catalog.
 *
 * @module
 */

/**
 * Every code of its own `@netscript/store` raises, with what it means and what to do.
 *
 * @example
 * ```ts
 * import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";
 *
 * console.log(STORE_SELECTION_ERROR_CODES.STORE_INVALID);
 * ```
 */
export const STORE_SELECTION_ERROR_CODES = {
  STORE_INVALID:
    "the store a plugin's processes should use cannot be chosen: <PREFIX>_STORE is not postgres, kv or redis, or names a store whose URL is not set or is not a URL of that store; set the variable the message names",
} as const;

/** One of {@linkcode STORE_SELECTION_ERROR_CODES}. */
export type StoreSelectionErrorCode = keyof typeof STORE_SELECTION_ERROR_CODES;
