/**
 * The error codes of `@netscript/plugin-auth-core` and the auth backends
 * built on it, as a typed catalog.
 *
 * @module
 */

/**
 * Every code the auth port and its backends raise, with what it means and
 * what to do.
 *
 * @example
 * ```ts
 * import { AUTH_ERROR_CODES } from "@netscript/plugin-auth-core";
 *
 * console.log(AUTH_ERROR_CODES.AUTH_REDIRECT_INVALID);
 * ```
 */
export const AUTH_ERROR_CODES = {
  AUTH_OPERATION_UNSUPPORTED:
    "The selected auth backend cannot do what was asked: only kv-oauth runs an interactive sign-in (a redirect to the identity provider); workos and better-auth validate sessions their own sign-in made. Sign users in through that provider's own flow, or select kv-oauth with NETSCRIPT_AUTH_BACKEND.",
  AUTH_REDIRECT_INVALID:
    "The place to return to after signing in is not a path on this site (it must start with a single / and hold no backslash or control character: https://…, //host and /\\host are refused, so a link cannot send a signed-in user to another site). Pass a relative path such as /account.",
  AUTH_CALLBACK_INVALID:
    "The identity provider's answer to a sign-in was refused: no sign-in was pending in this browser, its state did not match, the provider reported an error, or the ID token failed validation (signature, issuer, audience, expiry or nonce). Nothing was signed in. Start the sign-in again; if it keeps failing, check the client's settings at the provider.",
  AUTH_SETTING_MISSING:
    "A setting the selected auth backend needs is unset or empty (kv-oauth: AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET and AUTH_SECRET; workos: WORKOS_API_KEY, WORKOS_CLIENT_ID and WORKOS_COOKIE_PASSWORD; better-auth: BETTER_AUTH_SECRET and BETTER_AUTH_DATABASE_URL). Set it in the environment or the workspace's .env file and restart.",
  AUTH_SETTING_INVALID:
    "A setting of the auth backend holds something it cannot use (an issuer that is not an http(s) URL, a secret shorter than 32 characters). The message names the variable; fix it and restart.",
  AUTH_PROVIDER_UNAVAILABLE:
    "The identity provider could not be reached or answered something unusable (its discovery document, its token endpoint or its keys). Nothing was signed in or refreshed; try again once the provider is reachable.",
} as const;

/** One of {@linkcode AUTH_ERROR_CODES}. */
export type AuthErrorCode = keyof typeof AUTH_ERROR_CODES;
