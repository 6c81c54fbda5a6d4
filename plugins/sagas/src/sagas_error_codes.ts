/**
 * The error codes of `@netscript/plugin-sagas`, as a typed catalog. The
 * plugin also raises the codes of `@netscript/plugin-sagas-core`
 * (`SAGAS_CORE_ERROR_CODES`: an unknown saga, an invalid input, a saga not
 * found, …), which `sagas-api` answers as typed errors of its contract,
 * and those of the kit its processes run on (`RUNTIME_ERROR_CODES` of
 * `@netscript/runtime`, the store codes).
 *
 * @module
 */

/**
 * Every code of its own `@netscript/plugin-sagas` raises, with what it
 * means and what to do.
 *
 * @example
 * ```ts
 * import { SAGAS_PLUGIN_ERROR_CODES } from "@netscript/plugin-sagas";
 *
 * console.log(SAGAS_PLUGIN_ERROR_CODES.SAGAS_INVALID_PERMISSIONS);
 * ```
 */
export const SAGAS_PLUGIN_ERROR_CODES = {
  SAGAS_INVALID_PERMISSIONS:
    "defineSagasPlugin() was given stepPermissions with an unknown permission name, a malformed value, or env: true (which would stop the stores' variables from being passed on). List the permissions your saga steps need, and the variable names they read under env.",
} as const;

/** One of {@linkcode SAGAS_PLUGIN_ERROR_CODES}. */
export type SagasPluginErrorCode = keyof typeof SAGAS_PLUGIN_ERROR_CODES;
