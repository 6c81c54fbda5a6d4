/**
 * What runs the adapter's SQL: its own pool, or a caller's connection
 * inside the caller's transaction (a `pg` client or a Prisma client).
 *
 * @module
 */
import type { Pool, PoolClient } from "pg";

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

/** Runs one statement and resolves with its rows, typed as the caller's SQL promises. */
export type StatementRunner = <TRow>(text: string, values: readonly unknown[]) => Promise<TRow[]>;

/**
 * Runs statements on a caller's executor as plain parameterised
 * statements, so nothing stays prepared on the caller's connection.
 *
 * @param executor A `pg` connection or a Prisma client.
 * @returns The runner.
 */
export function executorRunner(executor: SqlExecutor): StatementRunner {
  return async <TRow>(text: string, values: readonly unknown[]) => {
    if ("$queryRawUnsafe" in executor) {
      return await executor.$queryRawUnsafe(text, ...values) as TRow[];
    }
    return (await executor.query(text, [...values])).rows as TRow[];
  };
}

/**
 * Runs statements on the queue's own pool, or a client taken from it, as
 * named prepared statements: each connection parses and plans a statement
 * once, which takes about half the time of a small statement away.
 *
 * @param connection The pool or one of its clients.
 * @returns The runner.
 */
export function preparedRunner(connection: Pool | PoolClient): StatementRunner {
  return async <TRow>(text: string, values: readonly unknown[]) => {
    const query = { name: _statementName(text), text, values: [...values] };
    return (await connection.query(query)).rows as TRow[];
  };
}

const STATEMENT_NAMES = new Map<string, string>();

/** A stable name for one of the queue's statements (a hash of its text). */
function _statementName(text: string): string {
  let name = STATEMENT_NAMES.get(text);
  if (name === undefined) {
    let hash = 2166136261;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    name = `workers_${(hash >>> 0).toString(16)}`;
    STATEMENT_NAMES.set(text, name);
  }
  return name;
}
