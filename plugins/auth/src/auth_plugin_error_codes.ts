/**
 * The error codes of `@netscript/plugin-auth`, as a typed catalog. The
 * plugin also raises the codes of `@netscript/plugin-auth-core`
 * (`AUTH_ERROR_CODES`: settings, redirects, callbacks, the provider) and
 * of the kit its process runs on (`RUNTIME_ERROR_CODES` of
 * `@netscript/runtime`, the store codes).
 *
 * @module
 */

/**
 * Every code of its own `@netscript/plugin-auth` raises, with what it
 * means and what to do.
 *
 * @example
 * ```ts
 * import { AUTH_PLUGIN_ERROR_CODES } from "@netscript/plugin-auth";
 *
 * console.log(AUTH_PLUGIN_ERROR_CODES.AUTH_BACKEND_UNKNOWN);
 * ```
 */
export const AUTH_PLUGIN_ERROR_CODES = {
  AUTH_BACKEND_UNKNOWN:
    "NETSCRIPT_AUTH_BACKEND names no auth backend: it must be kv-oauth (the default: sign-in with any OpenID Connect provider), workos or better-auth. Fix the variable and restart auth-api.",
  AUTH_INVALID_PLUGIN_OPTIONS:
    'defineAuthPlugin() was given providerPermissions with an unknown permission name, a malformed value, or env: true. List what auth-api needs to reach the identity provider, e.g. { net: ["login.example.com"] }.',
} as const;

/** One of {@linkcode AUTH_PLUGIN_ERROR_CODES}. */
export type AuthPluginErrorCode = keyof typeof AUTH_PLUGIN_ERROR_CODES;
