/**
 * Counts the statements a process sends to PostgreSQL through `pg`, the
 * driver both NetScript's store and DBOS use (the same copy of it: the
 * benchmarks' lockfile resolves DBOS's `pg` to the workspace's version).
 * Every `Client.query` call, whether made directly or through a pool, is
 * one statement and one round trip (a `BEGIN`, a `COMMIT` and a `LISTEN`
 * each count as one); opening a connection is not counted.
 *
 * @module
 */
import pg from "pg";

let counted = 0;
let installed = false;

/**
 * Starts counting, once per process: wraps `pg.Client.prototype.query`.
 * Call it before the system under test opens its first connection.
 */
export function countPgQueries(): void {
  if (installed) return;
  installed = true;
  const prototype = pg.Client.prototype as unknown as {
    query: (...args: unknown[]) => unknown;
  };
  const query = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    counted++;
    return query.apply(this, args);
  };
}

/**
 * The statements sent so far.
 *
 * @returns The count, or `null` when counting was never started.
 */
export function pgQueriesSent(): number | null {
  return installed ? counted : null;
}
