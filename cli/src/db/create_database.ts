import { NetScriptError } from "@netscript/contracts/errors";
import type { DbEngine } from "@netscript/plugin";
import { redactSecrets } from "@netscript/store";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { databaseName } from "./database_url.ts";

/** What {@linkcode createDatabase} did. */
export interface CreateDatabaseResult {
  /** The database's name. */
  name: string;
  /** `false` when it existed already. */
  created: boolean;
}

/**
 * Creates the database a server URL names, connecting to the same server
 * with the same user: PostgreSQL through its `postgres` database, MySQL and
 * MariaDB without a database. A database that exists is left as it is.
 *
 * @param engine `postgres` or `mysql`; other engines are refused.
 * @param url The database's URL.
 * @returns Its name and whether it was created.
 * @throws {NetScriptError} `DB_CREATE_FAILED` when the URL names no
 *   database, the engine is not supported, or the server refuses.
 * @example
 * ```ts
 * import { createDatabase } from "./create_database.ts";
 *
 * const { created } = await createDatabase("postgres", "postgresql://postgres@127.0.0.1:5432/app");
 * console.log(created);
 * ```
 */
export async function createDatabase(
  engine: DbEngine,
  url: string,
): Promise<CreateDatabaseResult> {
  const name = databaseName(url);
  const fail = (problem: string, cause?: unknown): never => {
    throw new NetScriptError<CliErrorCode>(
      "DB_CREATE_FAILED",
      `Cannot create the ${engine} database at ${redactSecrets(url)}: ${redactSecrets(problem)}`,
      { details: { engine, url: redactSecrets(url) }, ...(cause ? { cause } : {}) },
    );
  };
  if (name === undefined) return fail("the URL names no database; end it with /<name>");
  try {
    if (engine === "postgres") return { name, created: await _createPostgres(url, name) };
    if (engine === "mysql") return { name, created: await _createMysql(url, name) };
  } catch (error) {
    return fail(
      `${(error as Error).message}; check that the server runs and the user may create databases`,
      error,
    );
  }
  return fail(
    engine === "sqlite"
      ? "SQLite needs no database to be created; netscript db deploy creates the file"
      : `netscript db create supports postgres and mysql; create it with the ${engine} tools`,
  );
}

async function _createPostgres(url: string, name: string): Promise<boolean> {
  const { default: pg } = await import("pg");
  const server = new URL(url);
  server.pathname = "/postgres";
  const client = new pg.Client({ connectionString: server.href, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount !== 0) return false;
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

async function _createMysql(url: string, name: string): Promise<boolean> {
  const { createConnection } = await import("mariadb");
  const server = new URL(url);
  const connection = await createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    connectTimeout: 5_000,
  });
  try {
    const found = await connection.query(
      "select 1 from information_schema.schemata where schema_name = ?",
      [name],
    ) as unknown[];
    if (found.length !== 0) return false;
    await connection.query(`CREATE DATABASE \`${name.replaceAll("`", "``")}\``);
    return true;
  } finally {
    await connection.end();
  }
}
