/**
 * What runs the adapter's SQL: its own pool, or a caller's connection
 * inside the caller's transaction (a `pg` client or a Prisma client).
 *
 * @module
 */

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
 * Runs one statement on an executor and returns its rows.
 *
 * @param executor A `pg` connection or a Prisma client.
 * @param text The SQL, with `$1`-style placeholders.
 * @param values The parameters.
 * @returns The rows, typed as the caller's SQL promises.
 */
export async function runSql<TRow>(
  executor: SqlExecutor,
  text: string,
  values: readonly unknown[],
): Promise<TRow[]> {
  if ("$queryRawUnsafe" in executor) {
    return await executor.$queryRawUnsafe(text, ...values) as TRow[];
  }
  return (await executor.query(text, [...values])).rows as TRow[];
}
