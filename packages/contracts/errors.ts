/**
 * The framework's error type, the error codes shared by every package, and
 * the one way to write validation issues in a message. It has no
 * dependencies, so every NetScript package and adapter can use it without
 * loading the contract builder.
 *
 * @example Raise a store error
 * ```ts
 * import { isStoreError, NetScriptError } from "@netscript/contracts/errors";
 *
 * const error = new NetScriptError(
 *   "STORE_UNAVAILABLE",
 *   "Cannot reach the job store at 127.0.0.1:5432/app: ECONNREFUSED",
 *   { details: { target: "127.0.0.1:5432/app", dependency: "job store" } },
 * );
 * console.log(isStoreError(error)); // true
 * ```
 *
 * @module
 */

export {
  isNetScriptError,
  NetScriptError,
  type NetScriptErrorDetails,
  type NetScriptErrorJson,
  type NetScriptErrorOptions,
} from "./netscript_error.ts";
export { isStoreError, STORE_ERROR_CODES, type StoreErrorCode } from "./store_error_codes.ts";
export {
  formatIssues,
  type FormatIssuesOptions,
  type FormattedIssue,
  type SchemaIssue,
  type SchemaIssuePathSegment,
} from "./format_issues.ts";
