/**
 * `@netscript/auth-better-auth`: an auth backend that lets a NetScript
 * service and a [better-auth](https://www.better-auth.com) app share their
 * users. The app signs users in; the backend accepts the session cookie the
 * app issued by checking its signature with the app's secret and then the
 * session row in the app's own database (PostgreSQL, or an SQLite file),
 * and lists and revokes those sessions there. It implements
 * `AuthBackendPort` of `@netscript/plugin-auth-core` with the
 * `manage-sessions` capability; sign-in belongs to the app.
 *
 * @example Accept the app's sessions in a service
 * ```ts
 * import { openBetterAuthBackend } from "@netscript/auth-better-auth";
 * import { envFrom } from "@netscript/store";
 *
 * const backend = await openBetterAuthBackend(envFrom({
 *   BETTER_AUTH_SECRET: "the-better-auth-app-secret-of-32-characters",
 *   BETTER_AUTH_DATABASE_URL: "postgres://app@127.0.0.1:5432/app",
 * }));
 * const session = await backend.session(new Request("http://127.0.0.1:8000/"));
 * console.log(session); // null: this request carries no better-auth cookie
 * await backend.close();
 * ```
 *
 * @module
 */
export {
  type BetterAuthDatabase,
  createBetterAuthBackend,
  type CreateBetterAuthBackendOptions,
} from "./src/create_better_auth_backend.ts";
export {
  openBetterAuthBackend,
  type OpenBetterAuthBackendOptions,
} from "./src/open_better_auth_backend.ts";
