/**
 * `@netscript/auth-workos`: the auth backend for apps that sign users in
 * with WorkOS AuthKit. It signs no one in itself: it reads the sealed
 * `wos-session` cookie AuthKit's own sign-in sets, verifies its access
 * token with WorkOS's signing keys, and refreshes it through the WorkOS
 * API (one call per cookie, however many requests ask at once). Select it
 * with `NETSCRIPT_AUTH_BACKEND=workos` and AuthKit's own variables
 * (`WORKOS_API_KEY`, `WORKOS_CLIENT_ID`, `WORKOS_COOKIE_PASSWORD`).
 *
 * A refresh replaces the cookie: `refresh()` answers the new sealed cookie
 * in `setCookies` with the session, and the caller must send it, since
 * the old cookie's refresh token is used up. `signOut()` clears the
 * cookie and redirects to `/`; ending the session at WorkOS (AuthKit's
 * logout URL) is up to the app's AuthKit integration.
 *
 * @example
 * ```ts
 * import { openWorkosBackend } from "@netscript/auth-workos";
 * import { envFrom } from "@netscript/store";
 *
 * const backend = await openWorkosBackend(envFrom({
 *   WORKOS_API_KEY: "sk_test_example",
 *   WORKOS_CLIENT_ID: "client_example",
 *   WORKOS_COOKIE_PASSWORD: "a-password-of-at-least-32-characters!",
 * }));
 * const session = await backend.session(new Request("https://app.example/"));
 * console.log(session); // null: the request carries no wos-session cookie
 * await backend.close();
 * ```
 *
 * @module
 */
export { createWorkosBackend } from "./src/workos_backend.ts";
export type { WorkosBackendOptions } from "./src/workos_backend_options.ts";
export { openWorkosBackend, type OpenWorkosBackendOptions } from "./src/open_workos_backend.ts";
