/**
 * `@netscript/plugin-auth-core`: the auth port and what every backend
 * shares. `AuthBackendPort` is the seam `auth-api` and the services' guard
 * use; `@netscript/auth-kv-oauth`, `@netscript/auth-workos` and
 * `@netscript/auth-better-auth` implement it. Also here: the user and
 * session types, the error catalog, the error for an operation a backend
 * cannot do, the same-site redirect check and the sign-in cookies.
 *
 * @example
 * ```ts
 * import { AUTH_CAPABILITIES, safeRedirectPath } from "@netscript/plugin-auth-core";
 *
 * console.log(AUTH_CAPABILITIES.includes("refresh"), safeRedirectPath("/account"));
 * ```
 *
 * @module
 */
export { AUTH_ERROR_CODES, type AuthErrorCode } from "./src/auth_error_codes.ts";
export type { AuthSession, AuthUser } from "./src/auth_types.ts";
export {
  AUTH_CAPABILITIES,
  type AuthBackendPort,
  type AuthCapability,
  type RefreshedSession,
  type SignInOptions,
} from "./src/ports/auth_backend.ts";
export { AuthBackendOperationUnsupportedError } from "./src/unsupported_operation.ts";
export { safeRedirectPath } from "./src/http/safe_redirect.ts";
export {
  clearCookie,
  cookieName,
  type CookieScope,
  cookieScope,
  readCookie,
  setCookie,
} from "./src/http/cookies.ts";
