/**
 * A real better-auth app (the pinned `better-auth` package) run in the test
 * process on a PostgreSQL database or an SQLite file: its migrations create
 * the tables, and users sign up and in through its own API, so the backend
 * is tested against the cookies and rows better-auth itself makes.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { admin } from "better-auth/plugins";
import type { BetterAuthDatabase } from "../mod.ts";

/** Options of {@linkcode startBetterAuthApp}. */
export interface BetterAuthAppOptions {
  /** The app's database. */
  readonly database: BetterAuthDatabase;
  /** The app's secret. */
  readonly secret: string;
  /** The app's URL; an https one makes it set `__Secure-` cookies. @default {"http://127.0.0.1:3000"} */
  readonly baseURL?: string;
  /** Adds better-auth's admin plugin, which gives users a `role` column. @default {false} */
  readonly admin?: boolean;
  /** The app's `advanced.cookiePrefix`. @default {"better-auth"} */
  readonly cookiePrefix?: string;
}

/** A user signed in through the app. */
export interface SignedIn {
  /** The `Cookie` header the browser sends back: `name=value` of the session cookie. */
  readonly cookie: string;
  /** The cookie's value as the app set it (URL-encoded `<token>.<signature>`). */
  readonly value: string;
  /** The session token (`session.token`). */
  readonly token: string;
  /** The session's id. */
  readonly sessionId: string;
  /** The user's id. */
  readonly userId: string;
}

/** What {@linkcode BetterAuthApp.getSession} answers: better-auth's own view of a cookie. */
export interface AppSession {
  /** The session row. */
  readonly session: { readonly id: string; readonly token: string };
  /** The user. */
  readonly user: { readonly id: string; readonly email: string; readonly name: string };
}

/** A running better-auth app. */
export interface BetterAuthApp {
  /** Signs a new user up (which signs them in). */
  signUp(email: string, name: string): Promise<SignedIn>;
  /** Signs an existing user in again: a second session. */
  signIn(email: string): Promise<SignedIn>;
  /** The app's own `getSession` for a `Cookie` header. */
  getSession(cookie: string): Promise<AppSession | null>;
  /** Revokes a session through the app's own API, as the signed-in user. */
  revokeSession(cookie: string, token: string): Promise<void>;
  /** Moves a session's expiry into the past, in the app's table. */
  expire(sessionId: string): Promise<void>;
  /** Sets a user's `role` column. */
  setRole(userId: string, role: string): Promise<void>;
  /** Closes the app's database connection. */
  close(): Promise<void>;
}

/** The password every test user has. */
const PASSWORD = "correct horse battery staple";

/**
 * Starts the app and runs its migrations.
 *
 * @param options Its database, secret and URL.
 * @returns The app.
 */
export async function startBetterAuthApp(options: BetterAuthAppOptions): Promise<BetterAuthApp> {
  const store = options.database.kind === "postgres"
    ? _postgres(options.database.url)
    : _sqlite(options.database.path);
  const auth = betterAuth({
    database: store.database,
    secret: options.secret,
    baseURL: options.baseURL ?? "http://127.0.0.1:3000",
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    logger: { level: "error" },
    plugins: options.admin === true ? [admin()] : [],
    advanced: { cookiePrefix: options.cookiePrefix ?? "better-auth" },
  });
  await (await getMigrations(auth.options)).runMigrations();

  const signedIn = async (response: Response): Promise<SignedIn> => {
    if (!response.ok) throw new Error(`better-auth answered ${response.status}`);
    const setCookie = response.headers.getSetCookie()
      .find((cookie) => cookie.includes(".session_token="))!;
    const cookie = setCookie.split(";")[0]!;
    const value = cookie.slice(cookie.indexOf("=") + 1);
    const token = decodeURIComponent(value).split(".")[0]!;
    const session = await getSession(cookie);
    if (session === null) throw new Error("better-auth does not accept its own cookie");
    return { cookie, value, token, sessionId: session.session.id, userId: session.user.id };
  };
  const getSession = async (cookie: string): Promise<AppSession | null> =>
    await auth.api.getSession({ headers: new Headers({ cookie }) }) as AppSession | null;

  return {
    signUp: async (email, name) =>
      await signedIn(
        await auth.api.signUpEmail({ body: { email, password: PASSWORD, name }, asResponse: true }),
      ),
    signIn: async (email) =>
      await signedIn(
        await auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true }),
      ),
    getSession,
    revokeSession: async (cookie, token) => {
      await auth.api.revokeSession({ headers: new Headers({ cookie }), body: { token } });
    },
    expire: (sessionId) =>
      store.execute(`update "session" set "expiresAt" = ? where id = ?`, [
        new Date(Date.now() - 60_000).toISOString(),
        sessionId,
      ]),
    setRole: (userId, role) =>
      store.execute(`update "user" set role = ? where id = ?`, [role, userId]),
    close: store.close,
  };
}

/** The app's database handle and a way to run a statement with `?` parameters on it. */
interface AppStore {
  readonly database: pg.Pool | DatabaseSync;
  execute(sql: string, values: unknown[]): Promise<void>;
  close(): Promise<void>;
}

function _postgres(url: string): AppStore {
  const pool = new pg.Pool({ connectionString: url });
  return {
    database: pool,
    execute: async (sql, values) => {
      let index = 0;
      await pool.query(sql.replaceAll("?", () => `$${++index}`), values);
    },
    close: () => pool.end(),
  };
}

function _sqlite(path: string): AppStore {
  const database = new DatabaseSync(path);
  return {
    database,
    execute: (sql, values) => {
      database.prepare(sql).run(...values as string[]);
      return Promise.resolve();
    },
    close: () => {
      database.close();
      return Promise.resolve();
    },
  };
}
