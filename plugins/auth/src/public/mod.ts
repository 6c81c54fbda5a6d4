/**
 * The auth plugin for NetScript: sign-in and sessions for a workspace. It
 * runs `auth-api` (port 8094): `GET /auth/signin?redirectTo=/account`
 * sends the browser to the identity provider, `GET /auth/callback` comes
 * back with a session cookie, `POST /auth/signout` ends it, and
 * `GET /api/session`, `GET /api/sessions` and `DELETE /api/sessions/{id}`
 * read and end the caller's own sessions. One backend is selected with
 * `NETSCRIPT_AUTH_BACKEND`: `kv-oauth` (the default; any OpenID Connect
 * provider, sessions kept in Deno KV), `workos` or `better-auth` (they
 * validate the sessions their own sign-in made).
 *
 * @example The workspace's plugin file
 * ```ts
 * // plugins/auth/plugin.ts
 * import { defineAuthPlugin } from "@netscript/plugin-auth";
 *
 * export default defineAuthPlugin({ providerPermissions: { net: ["login.example.com"] } });
 * ```
 *
 * @module
 */

export {
  AUTH_CAPABILITIES,
  AUTH_ERROR_CODES,
  AuthBackendOperationUnsupportedError,
  type AuthBackendPort,
  type AuthCapability,
  type AuthErrorCode,
  type AuthSession,
  type AuthUser,
} from "@netscript/plugin-auth-core";
export { AUTH_PLUGIN_ERROR_CODES, type AuthPluginErrorCode } from "../auth_plugin_error_codes.ts";
export {
  AUTH_CONTRACT_VERSIONS,
  type AuthManifest,
  authManifest,
  type AuthPluginOptions,
  defineAuthPlugin,
} from "../manifest.ts";
export { AUTH_BACKENDS, type AuthBackendName, openAuthBackend } from "../runtime/backend.ts";
export { type AuthApiOptions, serveAuthApi } from "../runtime/processes.ts";
export {
  AUTH_FLOW_PATH,
  type AuthService,
  type AuthServiceOptions,
  createAuthService,
} from "../service/auth_service.ts";
