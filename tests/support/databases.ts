/**
 * Real database servers for tests: a fresh PostgreSQL database per test and
 * the machine's MariaDB, each probed once so a bare machine skips with the
 * reason and CI (`NETSCRIPT_REQUIRE=all`) fails.
 *
 * @module
 */
import pg from "pg";
import { probeRequirement, type Requirement } from "./requirements.ts";

/** The PostgreSQL server tests use. */
export const POSTGRES_URL = Deno.env.get("NETSCRIPT_TEST_POSTGRES_URL") ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

/** The MariaDB/MySQL server tests use. */
export const MARIADB_URL = Deno.env.get("NETSCRIPT_TEST_MARIADB_URL") ??
  "mysql://root@127.0.0.1:3306";

/** Whether PostgreSQL answers. */
export const postgres: Requirement = await probeRequirement("postgres", async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return `cannot connect to ${POSTGRES_URL}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
});

/**
 * Creates a database with a unique name and returns its URL; `drop()` removes it.
 *
 * @returns The URL and a function that drops the database.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `netscript_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Runs one query against a PostgreSQL database.
 *
 * @param url The database URL.
 * @param sql The query.
 * @returns The rows.
 */
export async function pgQuery(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Whether MariaDB (or MySQL) answers. */
export const mariadb: Requirement = await probeRequirement("mariadb", async () => {
  const { createConnection } = await import("mariadb");
  try {
    const connection = await createConnection({ ..._mariadbConfig(), connectTimeout: 3_000 });
    await connection.end();
    return undefined;
  } catch (error) {
    return `cannot connect to ${MARIADB_URL}: ${(error as Error).message}`;
  }
});

function _mariadbConfig() {
  const url = new URL(MARIADB_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/**
 * Creates a MariaDB database with a unique name, runs `setup` in it, and
 * returns its URL; `drop()` removes it.
 *
 * @param setup SQL statements to run in the new database.
 * @returns The URL and a function that drops the database.
 */
export async function freshMariadbDatabase(
  setup: string[],
): Promise<{ url: string; drop(): Promise<void> }> {
  const { createConnection } = await import("mariadb");
  const name = `netscript_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const connection = await createConnection(_mariadbConfig());
  try {
    await connection.query(`CREATE DATABASE \`${name}\``);
    await connection.query(`USE \`${name}\``);
    for (const statement of setup) await connection.query(statement);
  } finally {
    await connection.end();
  }
  return {
    url: `${MARIADB_URL.replace(/\/$/, "")}/${name}`,
    async drop() {
      const admin = await createConnection(_mariadbConfig());
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
