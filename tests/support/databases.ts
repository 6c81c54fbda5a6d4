/**
 * Real database servers for tests: a fresh PostgreSQL database per test,
 * the machine's MariaDB and its Redis, each probed once so a bare machine
 * skips with the reason and CI (`NETSCRIPT_REQUIRE=all`) fails.
 *
 * @module
 */
import { join } from "node:path";
import pg from "pg";
import { assembleSchema } from "@netscript/db";
import { Migrator } from "@netscript/db/migrate";
import { probeRequirement, type Requirement } from "./requirements.ts";

/** The PostgreSQL server tests use. */
export const POSTGRES_URL = Deno.env.get("NETSCRIPT_TEST_POSTGRES_URL") ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

/** The MariaDB/MySQL server tests use. */
export const MARIADB_URL = Deno.env.get("NETSCRIPT_TEST_MARIADB_URL") ??
  "mysql://root@127.0.0.1:3306";

/** The Redis server tests use. */
export const REDIS_URL = Deno.env.get("NETSCRIPT_TEST_REDIS_URL") ?? "redis://127.0.0.1:6379";

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

/** A plugin's Prisma schema fragment, read as a data file from the repository. */
export interface PluginFragment {
  /** The plugin's slug, e.g. `workers`. */
  readonly plugin: string;
  /** The fragment file, e.g. the plugin's `scaffold/database/<slug>.prisma`. */
  readonly file: URL;
}

/**
 * Creates a database with the tables of plugins' schema fragments, applied
 * the way `netscript db` applies them: assembled as plugin fragments in a
 * throw-away workspace, then pushed through `@netscript/db/migrate`. The
 * database is dropped again when the push fails.
 *
 * @param fragments The plugins' fragments.
 * @returns The URL and a function that drops the database.
 */
export async function freshPluginDatabase(
  fragments: readonly PluginFragment[],
): Promise<{ url: string; drop(): Promise<void> }> {
  const database = await freshPostgresDatabase();
  const root = await Deno.makeTempDir({ prefix: "netscript-plugin-pg-" });
  try {
    const placed = [];
    for (const { plugin, file } of fragments) {
      const path = `plugins/${plugin}/database/${plugin}.prisma`;
      await Deno.mkdir(join(root, `plugins/${plugin}/database`), { recursive: true });
      await Deno.copyFile(file, join(root, path));
      placed.push({ plugin, path, engine: "postgres" as const });
    }
    const schema = await assembleSchema(root, { engine: "postgres", fragments: placed });
    const migrator = await Migrator.open({
      engine: "postgres",
      url: database.url,
      migrationsDir: join(root, "database/migrations"),
      schema: schema.files.map(({ path, content }) => ({ path, content })),
    });
    try {
      await migrator.push();
    } finally {
      await migrator.close();
    }
  } catch (error) {
    await database.drop();
    throw error;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  return database;
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

/** Whether Redis answers. */
export const redis: Requirement = await probeRequirement("redis", async () => {
  const { Redis } = await import("ioredis");
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let failure: Error | undefined;
  client.on("error", (error: Error) => failure = error);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `cannot connect to ${REDIS_URL}: ${(failure ?? error as Error).message}`;
  } finally {
    if (client.status !== "end") {
      const ended = new Promise((resolve) => client.once("end", resolve));
      client.disconnect();
      await ended;
    }
  }
});

/**
 * Takes an empty logical Redis database (1 to 15) for one test, marked so
 * no other test or benchmark takes it too; `drop()` flushes it.
 *
 * @returns Its URL and a function that empties it.
 * @throws {Error} When every database from 1 to 15 holds keys.
 */
export async function freshRedisDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  for (let db = 1; db <= 15; db++) {
    const taken = await _withRedis(db, async (client) =>
      await client.dbsize() === 0 &&
      await client.set("netscript-test:claimed", "1", "NX") === "OK");
    if (!taken) continue;
    const url = new URL(REDIS_URL);
    url.pathname = `/${db}`;
    return {
      url: url.href,
      drop: () => _withRedis(db, (client) => client.flushdb()).then(() => {}),
    };
  }
  throw new Error(`No empty Redis database from 1 to 15 at ${REDIS_URL}; flush one`);
}

async function _withRedis<T>(
  db: number,
  run: (client: import("ioredis").Redis) => Promise<T>,
): Promise<T> {
  const { Redis } = await import("ioredis");
  const client = new Redis(REDIS_URL, { db, maxRetriesPerRequest: 1 });
  try {
    return await run(client);
  } finally {
    await client.quit();
  }
}
