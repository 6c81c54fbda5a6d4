/**
 * The error codes of `@netscript/runtime`, as a typed catalog. The store
 * codes its adapters raise (`STORE_UNAVAILABLE`, `SCHEMA_MISSING`) are the
 * framework's shared ones, in `STORE_ERROR_CODES` of
 * `@netscript/contracts/errors`.
 *
 * @module
 */

/**
 * Every code `@netscript/runtime` raises, with what it means and what to do.
 *
 * @example
 * ```ts
 * import { RUNTIME_ERROR_CODES } from "@netscript/runtime";
 *
 * console.log(RUNTIME_ERROR_CODES.RUNTIME_INVALID_SETTING);
 * ```
 */
export const RUNTIME_ERROR_CODES = {
  RUNTIME_INVALID_SETTING:
    "an environment variable a process reads (PORT, WORKER_CONCURRENCY, <PREFIX>_LOG_LEVEL, …) holds a value it cannot use; the message names the variable, the value and what it must be: fix or unset it",
  RUNTIME_UNKNOWN_TOPIC:
    "a process asked for a config topic its plugin does not declare; declare it with withRuntimeConfigTopics in the plugin's manifest and regenerate, or use one of the topics the message lists",
  RUNTIME_CONTRACT_VERSION_INVALID:
    "A contract version the plugin declares with withContractVersions() cannot be served: its loader fails, its module exports no contract or several, or the plugin's service does not serve that version; fix the loader's import, export exactly one contract from the version's module (or default-export it), and serve every declared version (createService's currentVersion and versions).",
  RUNTIME_STOP_TIMEOUT:
    "a processor's parts did not stop within the shutdown deadline after SIGINT or SIGTERM; the process exits with an error so the runner does not wait for SIGKILL; find the part that ignores stop() in the log",
} as const;

/** One of {@linkcode RUNTIME_ERROR_CODES}. */
export type RuntimeErrorCode = keyof typeof RUNTIME_ERROR_CODES;
