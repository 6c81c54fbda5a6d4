/**
 * `@netscript/auth-kv-oauth`: the interactive backend of the NetScript auth
 * port. It runs the OpenID Connect authorization code flow with PKCE
 * (S256), `state` and `nonce` against any OpenID provider (through
 * `oauth4webapi`), validates the ID token (signature through the issuer's
 * keys, issuer, audience, expiry, nonce), and keeps sign-ins in progress
 * and sessions in Deno KV behind `HttpOnly`, `SameSite=Lax` cookies
 * (`__Host-` and `Secure` on https). Refresh tokens are stored encrypted;
 * sessions can be refreshed, listed per user and revoked.
 *
 * @example
 * ```ts
 * import { openKvOAuthBackend } from "@netscript/auth-kv-oauth";
 * import { envFrom } from "@netscript/store";
 *
 * const dir = await Deno.makeTempDir();
 * const backend = await openKvOAuthBackend(envFrom({
 *   AUTH_OIDC_ISSUER: "https://id.example.com",
 *   AUTH_OIDC_CLIENT_ID: "my-app",
 *   AUTH_OIDC_CLIENT_SECRET: "from-the-provider",
 *   AUTH_SECRET: "at-least-32-characters-of-random-text",
 *   AUTH_KV_PATH: `${dir}/auth.kv`,
 * }));
 * const session = await backend.session(new Request("https://app.example/api/me"));
 * console.log(session); // null: no session cookie
 * await backend.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { createKvOAuthBackend } from "./src/kv_oauth_backend.ts";
export type { KvOAuthBackendOptions } from "./src/kv_oauth_settings.ts";
export {
  DEFAULT_AUTH_KV_PATH,
  openKvOAuthBackend,
  type OpenKvOAuthBackendOptions,
} from "./src/open_kv_oauth_backend.ts";
