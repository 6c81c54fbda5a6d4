/**
 * A caller's own connection, for writes that must commit or roll back
 * with the caller's transaction: a `pg` client or a Prisma
 * interactive-transaction client, and the runner that sends a store's
 * statements through it.
 *
 * @module
 */
import type { SqlRunner } from "./prepared_statements.ts";

/** A `pg` client, pool client or pool: anything with `pg`'s `query(text, values)`. */
export interface PgQueryable {
  /** Runs one parameterised statement. */
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A Prisma client or interactive-transaction client (`tx` in `db.$transaction(async (tx) => …)`). */
export interface PrismaRawQueryable {
  /** Runs one parameterised statement and returns its rows. */
  $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown>;
}

/** Where a statement runs: a `pg` connection or a Prisma client. */
export type SqlExecutor = PgQueryable | PrismaRawQueryable;

/**
 * Runs statements on a caller's executor as plain parameterised
 * statements, so nothing stays prepared on the caller's connection.
 *
 * @param executor A `pg` connection or a Prisma client.
 * @returns The runner.
 *
 * @example
 * ```ts ignore
 * import pg from "pg";
 * import { executorRunner } from "@netscript/store/postgres";
 *
 * const client = new pg.Client({ connectionString: Deno.env.get("DATABASE_URL") });
 * await client.connect();
 * const run = executorRunner(client);
 * console.log(await run<{ one: number }>("SELECT 1 AS one", []));
 * ```
 */
export function executorRunner(executor: SqlExecutor): SqlRunner {
  return async <TRow>(text: string, values: readonly unknown[]) => {
    if ("$queryRawUnsafe" in executor) {
      return await executor.$queryRawUnsafe(text, ...values) as TRow[];
    }
    return (await executor.query(text, [...values])).rows as TRow[];
  };
}
