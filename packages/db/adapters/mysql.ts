/**
 * The Prisma driver adapter for MySQL and MariaDB (`mariadb`), pooled.
 *
 * @module
 */
import { PrismaMariaDb } from "@prisma/adapter-mariadb";

/**
 * Creates a pooled MySQL/MariaDB adapter for a generated Prisma client.
 *
 * @param url A `mysql://` or `mariadb://` connection URL.
 * @returns The adapter factory to pass as `new PrismaClient({ adapter })`.
 *
 * @example
 * ```ts ignore
 * import { createMysqlAdapter } from "@netscript/db/adapters/mysql";
 * import { PrismaClient } from "./.netscript/db/client/client.ts";
 *
 * const db = new PrismaClient({ adapter: createMysqlAdapter("mysql://root@127.0.0.1:3306/app") });
 * ```
 */
export function createMysqlAdapter(url: string): PrismaMariaDb {
  return new PrismaMariaDb(url.replace(/^mysql:/, "mariadb:"));
}
