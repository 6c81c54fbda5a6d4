/**
 * The store each system of `deno task bench:streams` gets, fresh: a
 * PostgreSQL database with the streams tables (created by a migration
 * through `@netscript/db/migrate`, as `netscript db migrate` does), or a
 * temporary folder (the Deno KV files, the reference server's data
 * directory). Each is removed when disposed.
 *
 * @module
 */
import pg from "pg";
import { createPluginTables, pluginFragment } from "../plugin_tables.ts";

/** The PostgreSQL server: `BENCH_POSTGRES_URL`, else the local one with trust auth. */
export const POSTGRES_URL: string = Deno.env.get("BENCH_POSTGRES_URL") ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

/** A store made for one system. */
export interface BenchStore extends AsyncDisposable {
  /** A database URL or a folder. */
  readonly location: string;
}

/**
 * Makes a fresh PostgreSQL database with the streams tables.
 *
 * @returns The database; dispose of it to drop it.
 */
export async function openPostgresStore(): Promise<BenchStore> {
  const name = `netscript_bench_streams_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await _admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const store: BenchStore = {
    location: url.href,
    [Symbol.asyncDispose]: async () =>
      void await _admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
  try {
    await createPluginTables(store.location, [pluginFragment("streams")]);
  } catch (error) {
    await store[Symbol.asyncDispose]();
    throw error;
  }
  return store;
}

/**
 * Makes an empty temporary folder.
 *
 * @param prefix The folder name's prefix.
 * @returns The folder; dispose of it to remove it.
 */
export async function openFolderStore(prefix: string): Promise<BenchStore> {
  const folder = await Deno.makeTempDir({ prefix });
  return {
    location: folder,
    [Symbol.asyncDispose]: () => Deno.remove(folder, { recursive: true }),
  };
}

/**
 * The PostgreSQL server's version.
 *
 * @returns E.g. `15.20 (Debian 15.20-0+deb12u1)`.
 */
export function postgresVersion(): Promise<string> {
  return _admin(async (client) =>
    String((await client.query("SHOW server_version")).rows[0]?.server_version)
  );
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
