/**
 * The stores the benchmark gives each system: a fresh PostgreSQL database
 * (with the workers plugin's tables for NetScript, created by a migration
 * through `@netscript/db/migrate`), a Deno KV file in a temporary folder,
 * or an empty logical Redis database. Every store is removed (a Redis
 * database flushed) when disposed, and PostgreSQL stores
 * count the transactions committed in them, from `pg_stat_database`.
 *
 * @module
 */
import { join } from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { createPluginTables, pluginFragment } from "../plugin_tables.ts";
import type { StoreKind } from "./system.ts";

/** The PostgreSQL server: `BENCH_POSTGRES_URL`, else the local one with trust auth. */
export const POSTGRES_URL = Deno.env.get("BENCH_POSTGRES_URL") ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

/** The Redis server: `BENCH_REDIS_URL`, else the local one; the benchmark uses databases 1 to 15. */
export const REDIS_URL = Deno.env.get("BENCH_REDIS_URL") ?? "redis://127.0.0.1:6379";

/** A store made for one system's run. */
export interface BenchStore extends AsyncDisposable {
  /** Its database URL or KV file path. */
  readonly location: string;
  /**
   * Transactions committed or rolled back in it so far; statistics reach
   * this count up to about 10 s after a transaction ends.
   *
   * @returns The count, or `null` for a store that is not a database.
   */
  transactions(): Promise<number | null>;
}

/**
 * Makes a store of the given kind.
 *
 * @param kind The kind.
 * @returns The store; dispose of it to remove it.
 */
export async function openStore(kind: StoreKind): Promise<BenchStore> {
  if (kind === "kv") return await _kvStore();
  if (kind === "redis") return await _redisStore();
  const name = `netscript_bench_workers_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await _admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const store: BenchStore = {
    location: url.href,
    transactions: () =>
      _admin(async (client) => {
        const { rows: [row] } = await client.query<{ count: string }>(
          "SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = $1",
          [name],
        );
        return Number(row?.count ?? 0);
      }),
    [Symbol.asyncDispose]: () =>
      _admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => {},
      ),
  };
  if (kind === "netscript-postgres") {
    try {
      await createPluginTables(store.location, [pluginFragment("workers")]);
    } catch (error) {
      await store[Symbol.asyncDispose]();
      throw error;
    }
  }
  return store;
}

async function _kvStore(): Promise<BenchStore> {
  const folder = await Deno.makeTempDir({ prefix: "netscript-bench-workers-kv-" });
  return {
    location: join(folder, "jobs.kv"),
    transactions: () => Promise.resolve(null),
    [Symbol.asyncDispose]: () => Deno.remove(folder, { recursive: true }),
  };
}

/**
 * Takes the first empty logical database from 1 to 15, marking it with a
 * key set only if absent, so two benchmarks never share one.
 */
async function _redisStore(): Promise<BenchStore> {
  for (let db = 1; db <= 15; db++) {
    const claimed = await _redis(db, async (redis) =>
      await redis.dbsize() === 0 &&
      await redis.set("netscript-bench:claimed", "1", "NX") === "OK");
    if (!claimed) continue;
    const url = new URL(REDIS_URL);
    url.pathname = `/${db}`;
    return {
      location: url.href,
      transactions: () => Promise.resolve(null),
      [Symbol.asyncDispose]: () => _redis(db, (redis) => redis.flushdb()).then(() => {}),
    };
  }
  throw new Error(`No empty Redis database from 1 to 15 at ${REDIS_URL}; flush one`);
}

async function _redis<T>(db: number, run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL, { db, maxRetriesPerRequest: 1 });
  try {
    return await run(redis);
  } finally {
    await redis.quit();
  }
}

async function _admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL server's version.
 *
 * @returns E.g. `15.20 (Debian 15.20-0+deb12u1)`.
 */
export function postgresVersion(): Promise<string> {
  return _admin(async (client) =>
    String(
      (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]
        ?.server_version,
    )
  );
}
