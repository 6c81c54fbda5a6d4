/**
 * The better-auth backend: a NetScript service accepts the sessions a
 * better-auth app signs users into, by checking the app's signed session
 * cookie and then the session row in the app's own database.
 *
 * @module
 */
import {
  AuthBackendOperationUnsupportedError,
  type AuthBackendPort,
  type AuthCapability,
  type AuthSession,
  type RefreshedSession,
} from "@netscript/plugin-auth-core";
import { createLogger, type Logger } from "@netscript/telemetry";
import { SessionCookie } from "./_session_cookie.ts";
import { BACKEND_NAME, toAuthSession } from "./_session_row.ts";
import type { SessionTable } from "./_session_table.ts";
import { postgresSessionTable } from "./_postgres_session_table.ts";
import { sqliteSessionTable } from "./_sqlite_session_table.ts";

/** The shortest secret accepted: better-auth asks for at least 32 characters. */
export const MIN_SECRET_LENGTH = 32;

/** The better-auth app's database: the one its `betterAuth({ database })` writes sessions to. */
export type BetterAuthDatabase =
  | {
    /** PostgreSQL. */
    readonly kind: "postgres";
    /** Its `postgres://` URL. */
    readonly url: string;
  }
  | {
    /** An SQLite file, read and written through `node:sqlite`. */
    readonly kind: "sqlite";
    /** The file's path; the file must exist (the backend never creates it). */
    readonly path: string;
  };

/** Options of {@linkcode createBetterAuthBackend}. */
export interface CreateBetterAuthBackendOptions {
  /** The app's `BETTER_AUTH_SECRET` (its current one), at least 32 characters. */
  readonly secret: string;
  /** The app's database. */
  readonly database: BetterAuthDatabase;
  /**
   * The app's cookie prefix (`advanced.cookiePrefix`).
   * @default {"better-auth"}
   */
  readonly cookiePrefix?: string | undefined;
  /**
   * Where refused cookies (at `debug`), revocations and failing idle
   * connections are reported. No line holds a token or the secret.
   * @default {a JSON logger for the service "auth-better-auth"}
   */
  readonly logger?: Logger | undefined;
}

/** A cookie name's allowed characters (RFC 6265 token), for the prefix. */
const COOKIE_PREFIX = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Creates the better-auth backend. `session()` accepts a request when its
 * `better-auth.session_token` cookie (`__Secure-better-auth.session_token`
 * on https) holds a token signed with the app's secret (HMAC-SHA256,
 * compared in constant time) and the app's `session` table holds that
 * token, not yet expired; it then returns the session with its user (roles
 * from the user's `role` column, when the app has one). Its capability is
 * `manage-sessions`: sessions are listed and revoked in the app's table, so
 * a revoked session is refused at once by every service and by the app
 * (unless the app caches sessions in a cookie, `session.cookieCache`,
 * which it then trusts until that cache expires). Sign-in, its callback
 * and refresh belong to the app: they throw
 * {@linkcode AuthBackendOperationUnsupportedError}.
 *
 * @param options The app's secret, its database and cookie prefix.
 * @returns The backend; `close()` releases its database connection.
 * @throws {RangeError} When the secret is shorter than 32 characters.
 * @throws {TypeError} For an unknown database kind, an empty path or URL, or a cookie prefix
 * that cannot be part of a cookie name.
 * @throws {NetScriptError} `STORE_INVALID` for a PostgreSQL URL that does not parse.
 *
 * @example
 * ```ts
 * import { createBetterAuthBackend } from "@netscript/auth-better-auth";
 *
 * const backend = await createBetterAuthBackend({
 *   secret: "the-better-auth-app-secret-of-32-characters",
 *   database: { kind: "sqlite", path: "../my-app/sqlite.db" },
 * });
 * const session = await backend.session(new Request("http://127.0.0.1:8000/"));
 * console.log(session); // null: the request carries no cookie
 * await backend.close();
 * ```
 */
// deno-lint-ignore require-await -- bad options reject, like every other failure
export async function createBetterAuthBackend(
  options: CreateBetterAuthBackendOptions,
): Promise<AuthBackendPort> {
  const prefix = options.cookiePrefix ?? "better-auth";
  if (typeof options.secret !== "string" || options.secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(
      `The better-auth secret passed to createBetterAuthBackend() is shorter than ${MIN_SECRET_LENGTH} characters; pass the app's BETTER_AUTH_SECRET`,
    );
  }
  if (!COOKIE_PREFIX.test(prefix)) {
    throw new TypeError(
      `Invalid cookiePrefix ${
        JSON.stringify(prefix)
      } passed to createBetterAuthBackend(): give the app's advanced.cookiePrefix, e.g. "better-auth"`,
    );
  }
  const logger = options.logger ?? createLogger({ service: "auth-better-auth" });
  const table = _sessionTable(options.database, logger);
  return new BetterAuthBackend(new SessionCookie(options.secret, prefix), table, logger);
}

function _sessionTable(database: BetterAuthDatabase, logger: Logger): SessionTable {
  const where = database?.kind === "postgres"
    ? database.url
    : database?.kind === "sqlite"
    ? database.path
    : undefined;
  if (typeof where !== "string" || where === "") {
    throw new TypeError(
      `Invalid database passed to createBetterAuthBackend(): give { kind: "postgres", url } or { kind: "sqlite", path } of the better-auth app's database`,
    );
  }
  return database.kind === "postgres"
    ? postgresSessionTable(where, logger)
    : sqliteSessionTable(where);
}

class BetterAuthBackend implements AuthBackendPort {
  readonly name = BACKEND_NAME;
  readonly capabilities: ReadonlySet<AuthCapability> = new Set<AuthCapability>([
    "manage-sessions",
  ]);
  readonly #cookie: SessionCookie;
  readonly #table: SessionTable;
  readonly #logger: Logger;

  constructor(cookie: SessionCookie, table: SessionTable, logger: Logger) {
    this.#cookie = cookie;
    this.#table = table;
    this.#logger = logger;
  }

  signIn(): Promise<Response> {
    return Promise.reject(this.#unsupported("signIn", "interactive-sign-in"));
  }

  callback(): Promise<Response> {
    return Promise.reject(this.#unsupported("callback", "interactive-sign-in"));
  }

  refresh(): Promise<RefreshedSession | null> {
    return Promise.reject(this.#unsupported("refresh", "refresh"));
  }

  async session(request: Request): Promise<AuthSession | null> {
    const token = await this.#token(request);
    if (token === null) return null;
    const row = await this.#table.findByToken(token, new Date());
    if (row === undefined) {
      this.#logger.debug("better-auth session cookie refused", { reason: "unknown-or-expired" });
      return null;
    }
    return toAuthSession(row);
  }

  async signOut(request: Request): Promise<Response> {
    const token = await this.#token(request);
    if (token !== null && await this.#table.deleteByToken(token)) {
      this.#logger.info("better-auth session signed out");
    }
    const headers = new Headers({ location: "/", "cache-control": "no-store" });
    for (const cookie of this.#cookie.clearing(request)) headers.append("set-cookie", cookie);
    return new Response(null, { status: 302, headers });
  }

  async listSessions(userId: string): Promise<AuthSession[]> {
    return (await this.#table.listByUser(userId, new Date())).map(toAuthSession);
  }

  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    const revoked = await this.#table.deleteOfUser(userId, sessionId);
    if (revoked) this.#logger.info("better-auth session revoked", { userId, sessionId });
    return revoked;
  }

  close(): Promise<void> {
    return this.#table.close();
  }

  async #token(request: Request): Promise<string | null> {
    const reading = await this.#cookie.token(request);
    if (reading.token === null && reading.refusal !== "missing") {
      this.#logger.debug("better-auth session cookie refused", { reason: reading.refusal });
    }
    return reading.token;
  }

  #unsupported(operation: string, capability: AuthCapability): Error {
    return new AuthBackendOperationUnsupportedError(BACKEND_NAME, operation, capability);
  }
}
