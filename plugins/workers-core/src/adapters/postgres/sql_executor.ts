/**
 * What runs the adapter's SQL: its own pool, or a caller's connection
 * inside the caller's transaction (a `pg` client or a Prisma client).
 *
 * @module
 */
import type { PreparedRunnerOptions, SqlRunner } from "@netscript/store/postgres";

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
 */
export function executorRunner(executor: SqlExecutor): SqlRunner {
  return async <TRow>(text: string, values: readonly unknown[]) => {
    if ("$queryRawUnsafe" in executor) {
      return await executor.$queryRawUnsafe(text, ...values) as TRow[];
    }
    return (await executor.query(text, [...values])).rows as TRow[];
  };
}

/** How the queue's own statements are prepared: their name prefix. */
export const JOB_STATEMENTS: PreparedRunnerOptions = { prefix: "workers" };
