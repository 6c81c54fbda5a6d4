/**
 * The Prisma driver adapter for SQLite files (libSQL's Node-API build, which
 * Deno loads; it needs `--allow-ffi --allow-sys` besides file access).
 *
 * @module
 */
import { PrismaLibSql } from "@prisma/adapter-libsql";

/**
 * Creates a SQLite adapter for a generated Prisma client.
 *
 * @param url A `file:` URL.
 * @returns The adapter factory to pass as `new PrismaClient({ adapter })`.
 *
 * @example
 * ```ts ignore
 * import { createSqliteAdapter } from "@netscript/db/adapters/sqlite";
 * import { PrismaClient } from "./.netscript/db/client/client.ts";
 *
 * const db = new PrismaClient({ adapter: createSqliteAdapter("file:./app.db") });
 * ```
 */
export function createSqliteAdapter(url: string): PrismaLibSql {
  return new PrismaLibSql({ url });
}
