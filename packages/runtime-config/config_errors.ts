/**
 * The error codes of runtime config, as a typed catalog: each code, what it
 * means and what to do about it.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { ConfigIssue } from "./config_schema.ts";

/**
 * Every `NetScriptError` code runtime config raises, with its meaning and
 * what to do.
 *
 * @example
 * ```ts
 * import { CONFIG_ERROR_CODES } from "@netscript/runtime-config";
 *
 * console.log(CONFIG_ERROR_CODES.CONFIG_VALUE_INVALID);
 * ```
 */
export const CONFIG_ERROR_CODES = {
  CONFIG_VALUE_INVALID:
    "The value does not match the topic's JSON Schema; nothing was written. Fix the settings the message lists and set the value again",
  CONFIG_NOT_SET:
    "Nothing is stored for the topic, and its schema's defaults alone are not a valid value. Set a value (netscript config set <topic>), or give every required setting a default in the schema",
  CONFIG_REVISION_CONFLICT:
    "The topic changed since the caller read it (its revision is not the expected one); nothing was written. Read the topic again, reapply the change and retry",
  STORE_UNAVAILABLE:
    "The config store cannot be reached or opened (database down, wrong URL or credentials, KV file not writable). Check the store's URL or path and that the server is running",
} as const;

/** A code from {@linkcode CONFIG_ERROR_CODES}. */
export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES;

/**
 * The error for a value that does not match a topic's schema.
 *
 * @param topic The topic's name.
 * @param issues What is wrong with the value.
 * @returns A `CONFIG_VALUE_INVALID` error that lists the issues.
 */
export function configInvalidError(topic: string, issues: readonly ConfigIssue[]): NetScriptError {
  return new NetScriptError(
    "CONFIG_VALUE_INVALID",
    `Invalid value for config topic "${topic}": ${issues.map((issue) => issue.message).join("; ")}`,
    { details: { topic, issues } },
  );
}

/**
 * The error for a write that expected another revision.
 *
 * @param topic The topic's name.
 * @param expected The revision the writer expected.
 * @param actual The topic's revision now (0: nothing stored).
 * @returns A `CONFIG_REVISION_CONFLICT` error.
 */
export function revisionConflictError(
  topic: string,
  expected: number,
  actual: number,
): NetScriptError {
  const now = actual === 0 ? "nothing is stored yet" : `it is at revision ${actual}`;
  const wanted = expected === 0 ? "nothing stored yet" : `revision ${expected}`;
  return new NetScriptError(
    "CONFIG_REVISION_CONFLICT",
    `Cannot write config topic "${topic}": expected ${wanted} but ${now}; read it again and retry`,
    { details: { topic, expectedRevision: expected, actualRevision: actual } },
  );
}
