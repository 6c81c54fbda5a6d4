/**
 * Naming a PostgreSQL server in messages, without credentials.
 *
 * @module
 */

/** The connection settings {@linkcode describePostgresTarget} reads: a `pg` client or pool config. */
export interface PostgresTargetConfig {
  /** A `postgresql://` URL. */
  readonly connectionString?: string | undefined;
  /** The host, when no URL is given. */
  readonly host?: string | undefined;
  /** The port, when no URL is given. */
  readonly port?: number | undefined;
  /** The database, when no URL is given. */
  readonly database?: string | undefined;
}

/**
 * Names the server and database a connection config points at, without
 * credentials, for messages.
 *
 * @param config A `pg` client or pool config (`pool.options`).
 * @returns `host:port/database`.
 *
 * @example
 * ```ts
 * import { describePostgresTarget } from "@netscript/store/postgres";
 *
 * console.log(describePostgresTarget({ connectionString: "postgresql://app:secret@db:5432/app" }));
 * // "db:5432/app"
 * ```
 */
export function describePostgresTarget(config: PostgresTargetConfig): string {
  if (config.connectionString !== undefined) {
    try {
      const url = new URL(config.connectionString);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return "the PostgreSQL server in the connection string";
    }
  }
  return `${config.host ?? "localhost"}:${config.port ?? 5432}/${config.database ?? ""}`;
}
