import type { AssembledSchema } from "@netscript/db";
import type { DbEngine } from "@netscript/plugin";

/** What {@linkcode inspectDatabase} found. */
export type DatabaseInspection =
  | { exists: false }
  | {
    exists: true;
    /** The tables it holds. */
    tables: string[];
    /** The migrations Prisma's history table records as finished. */
    applied: string[];
    /** The migrations it records as started but neither finished nor rolled back. */
    failed: string[];
  };

/** The query that reads Prisma's migration history. */
const HISTORY =
  "select migration_name as name, finished_at is not null as finished, rolled_back_at is not null as rolled_back from _prisma_migrations";

/** A row of {@linkcode HISTORY}. */
interface HistoryRow {
  name: string;
  finished: unknown;
  rolled_back: unknown;
}

/**
 * Looks at a database without changing it: whether it exists, which
 * tables it holds (in PostgreSQL's current schema, MySQL's database, or
 * the SQLite file), and which migrations its `_prisma_migrations` table
 * records.
 *
 * @param engine `postgres`, `mysql` or `sqlite` (`mssql` is not inspected).
 * @param url The database's URL (`file:` for SQLite).
 * @returns Whether it exists, its tables and its migration history.
 * @throws {Error} The driver's error when the server cannot be reached or
 *   refuses the login; a `TypeError` for `mssql`.
 * @example
 * ```ts
 * import { inspectDatabase } from "./inspect_database.ts";
 *
 * const found = await inspectDatabase("postgres", "postgresql://postgres@127.0.0.1:5432/app");
 * console.log(found.exists ? found.tables : "no database");
 * ```
 */
export async function inspectDatabase(
  engine: DbEngine,
  url: string,
): Promise<DatabaseInspection> {
  switch (engine) {
    case "postgres":
      return await _postgres(url);
    case "mysql":
      return await _mysql(url);
    case "sqlite":
      return await _sqlite(url);
    case "mssql":
      throw new TypeError("Cannot inspect an mssql database: only postgres, mysql and sqlite");
  }
}

/**
 * The tables the schema's models need: each `model`'s name, or its
 * `@@map("…")` name.
 *
 * @param schema The assembled schema.
 * @returns The table names, sorted.
 */
export function schemaTables(schema: AssembledSchema): string[] {
  const tables: string[] = [];
  for (const file of schema.files) {
    for (const match of file.content.matchAll(/^\s*model\s+(\w+)\s*\{([^}]*)\}/gm)) {
      tables.push(match[2]!.match(/@@map\(\s*"([^"]+)"\s*\)/)?.[1] ?? match[1]!);
    }
  }
  return tables.sort();
}

async function _postgres(url: string): Promise<DatabaseInspection> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    // 3D000: invalid_catalog_name, the database does not exist.
    if ((error as { code?: string }).code === "3D000") return { exists: false };
    throw error;
  }
  try {
    const { rows } = await client.query(
      "select table_name from information_schema.tables where table_schema = current_schema()",
    );
    const tables = rows.map((r: { table_name: string }) => r.table_name);
    const history = tables.includes("_prisma_migrations")
      ? (await client.query(HISTORY)).rows as HistoryRow[]
      : [];
    return { exists: true, tables, ..._history(history) };
  } finally {
    await client.end();
  }
}

async function _mysql(url: string): Promise<DatabaseInspection> {
  const { createConnection } = await import("mariadb");
  const server = new URL(url);
  let connection;
  try {
    connection = await createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      database: decodeURIComponent(server.pathname.replace(/^\//, "")),
      connectTimeout: 5_000,
    });
  } catch (error) {
    if ((error as { errno?: number }).errno === 1049) return { exists: false };
    throw error;
  }
  try {
    const rows = await connection.query(
      "select table_name as name from information_schema.tables where table_schema = database()",
    ) as { name: string }[];
    const tables = rows.map((r) => r.name);
    const history = tables.includes("_prisma_migrations")
      ? await connection.query(HISTORY) as HistoryRow[]
      : [];
    return { exists: true, tables, ..._history(history) };
  } finally {
    await connection.end();
  }
}

async function _sqlite(url: string): Promise<DatabaseInspection> {
  const path = url.replace(/^file:/, "");
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { exists: false };
    throw error;
  }
  const { DatabaseSync } = await import("node:sqlite");
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = database.prepare("select name from sqlite_master where type = 'table'").all();
    const tables = rows.map((r) => String(r.name));
    const history = tables.includes("_prisma_migrations")
      ? database.prepare(HISTORY).all() as unknown as HistoryRow[]
      : [];
    return { exists: true, tables, ..._history(history) };
  } finally {
    database.close();
  }
}

function _history(rows: readonly HistoryRow[]): { applied: string[]; failed: string[] } {
  const applied = rows.filter((r) => Boolean(Number(r.finished))).map((r) => r.name);
  const failed = rows.filter((r) =>
    !Number(r.finished) && !Number(r.rolled_back) && !applied.includes(r.name)
  ).map((r) => r.name);
  return { applied: [...new Set(applied)].sort(), failed: [...new Set(failed)].sort() };
}
