import { defineAuthPlugin } from "@netscript/plugin-auth";

/**
 * The auth plugin in this workspace. auth-api signs users in and keeps
 * their sessions, with the backend NETSCRIPT_AUTH_BACKEND selects
 * (kv-oauth by default: set AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID,
 * AUTH_OIDC_CLIENT_SECRET and AUTH_SECRET in .env). Let auth-api reach
 * your identity provider here, e.g. `providerPermissions: { net:
 * ["login.example.com"] }`, then run `deno task dev`.
 */
export default defineAuthPlugin({ providerPermissions: {} });
