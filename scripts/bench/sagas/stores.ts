/**
 * The stores `deno task bench:sagas` gives each system, fresh: a
 * PostgreSQL database (with the sagas plugin's tables for NetScript,
 * created by a migration through `@netscript/db/migrate` as `netscript db
 * migrate` does; DBOS creates its own `dbos` schema on its first launch),
 * or a Deno KV file in a temporary folder. Each is removed when disposed.
 * A database store also reads the counters the benchmark reports per step:
 * the transactions committed in it and the server's transaction ids.
 *
 * @module
 */
import { join } from "node:path";
import pg from "pg";
import { createPluginTables, pluginFragment } from "../plugin_tables.ts";
import { POSTGRES_URL } from "../workers/stores.ts";

/** What a system keeps its sagas in. */
export type StoreKind = "netscript-postgres" | "postgres" | "kv";

/** PostgreSQL's counters at one moment, for one database. */
export interface DatabaseCounters {
  /** `pg_stat_database.xact_commit`: transactions committed in the database. */
  xactCommit: number;
  /** `tup_inserted + tup_updated + tup_deleted`: rows written in the database. */
  rowsWritten: number;
  /**
   * The next transaction id of the whole server (`pg_current_xact_id()`),
   * which reading it takes: the ids between two readings, less one, are
   * the write transactions committed or rolled back meanwhile, in every
   * database of the server.
   */
  xid: number;
}

/** A store made for one system. */
export interface SagaBenchStore extends AsyncDisposable {
  /** A database URL, or a KV file path. */
  readonly location: string;
  /**
   * Waits until no connection to the database is left (a backend reports
   * its statistics as it exits), then reads its counters.
   *
   * @returns The counters, or `null` for a store that is not a database.
   */
  settledCounters(): Promise<DatabaseCounters | null>;
}

/** The longest wait for a system's connections to close. */
const SETTLE_TIMEOUT_MS = 30_000;

/**
 * Makes a store of the given kind.
 *
 * @param kind The kind.
 * @returns The store; dispose of it to remove it.
 */
export async function openSagaBenchStore(kind: StoreKind): Promise<SagaBenchStore> {
  if (kind === "kv") {
    const folder = await Deno.makeTempDir({ prefix: "netscript-bench-sagas-kv-" });
    return {
      location: join(folder, "sagas.kv"),
      settledCounters: () => Promise.resolve(null),
      [Symbol.asyncDispose]: () => Deno.remove(folder, { recursive: true }),
    };
  }
  const name = `netscript_bench_sagas_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await _admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const store: SagaBenchStore = {
    location: url.href,
    settledCounters: () => _settledCounters(name),
    [Symbol.asyncDispose]: () =>
      _admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => {},
      ),
  };
  if (kind === "netscript-postgres") {
    try {
      await createPluginTables(store.location, [pluginFragment("sagas")]);
    } catch (error) {
      await store[Symbol.asyncDispose]();
      throw error;
    }
  }
  return store;
}

/**
 * The PostgreSQL server's `synchronous_commit` and `fsync` settings, which
 * decide what a commit costs.
 *
 * @returns E.g. `synchronous_commit on, fsync on`.
 */
export function commitSettings(): Promise<string> {
  return _admin(async (client) => {
    const read = async (name: string) =>
      String((await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name]);
    return `synchronous_commit ${await read("synchronous_commit")}, fsync ${await read("fsync")}`;
  });
}

async function _settledCounters(database: string): Promise<DatabaseCounters> {
  return await _admin(async (client) => {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const { rows: [row] } = await client.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1",
        [database],
      );
      if (row?.count === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${row?.count} connection(s) to ${database} were still open ${
            SETTLE_TIMEOUT_MS / 1000
          } s after the system closed; its counters cannot be read`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Reading the statistics snapshot first, then the id, in two statements
    // of the admin connection (whose database is another one).
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows: [stats] } = await client.query<{ xact_commit: string; rows_written: string }>(
      `SELECT xact_commit, tup_inserted + tup_updated + tup_deleted AS rows_written
      FROM pg_stat_database WHERE datname = $1`,
      [database],
    );
    const { rows: [xid] } = await client.query<{ xid: string }>(
      "SELECT pg_current_xact_id()::text AS xid",
    );
    return {
      xactCommit: Number(stats?.xact_commit ?? 0),
      rowsWritten: Number(stats?.rows_written ?? 0),
      xid: Number(xid?.xid ?? 0),
    };
  });
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
