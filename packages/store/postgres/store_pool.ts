/**
 * The connection pool of a plugin's PostgreSQL store: the caller's own
 * pool, or one the store opens (and then owns) on a URL checked first.
 *
 * @module
 */
import pg, { type Pool } from "pg";
import { checkStoreUrl } from "../check_store_url.ts";
import { describePostgresTarget } from "./postgres_target.ts";

/** Options of {@linkcode storePool}. */
export interface StorePoolOptions {
  /** The database URL; with neither it nor `pool`, `defaultUrl()` is used. */
  readonly url?: string | undefined;
  /** A pool the caller owns and closes. */
  readonly pool?: Pool | undefined;
  /** Connections of a pool the store opens. @default {10} */
  readonly maxConnections?: number | undefined;
  /** The URL when neither `url` nor `pool` is given, e.g. the workspace's `DATABASE_URL`. */
  readonly defaultUrl: () => string;
  /** What the store is, for messages, e.g. `the workers job store`. */
  readonly store: string;
  /** The function the options were given to, named when both `url` and `pool` are. */
  readonly creator: string;
  /** Called with each error of an idle connection of a pool the store opened. */
  readonly onIdleError: (error: Error) => void;
}

/** A store's pool, whether it owns it, and the server it reaches. */
export interface StorePool {
  /** The pool. */
  readonly pool: Pool;
  /** `true` when the store opened the pool and must end it. */
  readonly ownsPool: boolean;
  /** The server and database, without a password, for messages. */
  readonly target: string;
}

/**
 * Takes the caller's pool, or opens one (at most `maxConnections`, a 10 s
 * connection timeout) on the URL after checking it parses.
 *
 * @param options The URL or pool, and how to name the store.
 * @returns The pool and what to say about it.
 * @throws {TypeError} When both `url` and `pool` are given.
 * @throws {NetScriptError} `STORE_INVALID` when the URL does not parse (without its password).
 *
 * @example
 * ```ts
 * import { storePool } from "@netscript/store/postgres";
 *
 * const { pool, ownsPool, target } = storePool({
 *   url: "postgres://app:secret@127.0.0.1:5432/app",
 *   defaultUrl: () => "postgres://127.0.0.1:5432/app",
 *   store: "the billing store",
 *   creator: "createBillingStore",
 *   onIdleError: (error) => console.warn(error.message),
 * });
 * console.log(ownsPool, target); // true "127.0.0.1:5432/app"
 * await pool.end();
 * ```
 */
export function storePool(options: StorePoolOptions): StorePool {
  if (options.url !== undefined && options.pool !== undefined) {
    throw new TypeError(`Pass either url or pool to ${options.creator}(), not both`);
  }
  const pool = options.pool ?? new pg.Pool({
    connectionString: checkStoreUrl(options.url ?? options.defaultUrl(), {
      driver: "postgres",
      store: options.store,
    }),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  const ownsPool = options.pool === undefined;
  if (ownsPool) pool.on("error", options.onIdleError);
  return { pool, ownsPool, target: describePostgresTarget(pool.options) };
}
