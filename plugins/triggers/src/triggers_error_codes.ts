/**
 * The error codes of `@netscript/plugin-triggers`, as a typed catalog. The
 * plugin also raises the codes of `@netscript/plugin-triggers-core`
 * (`TRIGGERS_ERROR_CODES`: verification, definitions, payloads) and of the
 * kit its processes run on (`RUNTIME_ERROR_CODES` of `@netscript/runtime`,
 * the store codes).
 *
 * @module
 */

/**
 * Every code of its own `@netscript/plugin-triggers` raises, with what it
 * means and what to do.
 *
 * @example
 * ```ts
 * import { TRIGGERS_PLUGIN_ERROR_CODES } from "@netscript/plugin-triggers";
 *
 * console.log(TRIGGERS_PLUGIN_ERROR_CODES.TRIGGERS_INVALID_PLUGIN_OPTIONS);
 * ```
 */
export const TRIGGERS_PLUGIN_ERROR_CODES = {
  TRIGGERS_INVALID_PLUGIN_OPTIONS:
    "defineTriggersPlugin() was given a secretEnv entry that is not an environment variable name (letters, digits and _, optionally ending in * for a prefix). Fix plugins/triggers/plugin.ts.",
  TRIGGERS_STREAMS_MISSING:
    "The workspace has event triggers on stream topics (defineEvent with on: { topic }), which read the topics of the streams plugin, but trigger-processor finds no streams-api to read them from (no services__streams-api__http__0 or STREAMS_API_HTTP variable). Add the streams plugin with netscript plugin add streams, or remove those event triggers.",
} as const;

/** One of {@linkcode TRIGGERS_PLUGIN_ERROR_CODES}. */
export type TriggersPluginErrorCode = keyof typeof TRIGGERS_PLUGIN_ERROR_CODES;
