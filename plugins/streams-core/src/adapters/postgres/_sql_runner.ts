/**
 * How the Postgres stream store runs its statements: as named prepared
 * statements, so each connection parses and plans one once.
 *
 * @module
 */
import type { Pool, PoolClient } from "pg";

/** Runs one statement and resolves with its rows, typed as the caller's SQL promises. */
export type Run = <TRow>(text: string, values: readonly unknown[]) => Promise<TRow[]>;

const STATEMENT_NAMES = new Map<string, string>();

/**
 * Runs statements on the pool, or a client taken from it, as named
 * prepared statements.
 *
 * @param connection The pool or one of its clients.
 * @returns The runner.
 */
export function preparedRunner(connection: Pool | PoolClient): Run {
  return async <TRow>(text: string, values: readonly unknown[]) => {
    const query = { name: _statementName(text), text, values: [...values] };
    return (await connection.query(query)).rows as TRow[];
  };
}

/** A stable name for one of the store's statements (a hash of its text). */
function _statementName(text: string): string {
  let name = STATEMENT_NAMES.get(text);
  if (name === undefined) {
    let hash = 2166136261;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    name = `streams_${(hash >>> 0).toString(16)}`;
    STATEMENT_NAMES.set(text, name);
  }
  return name;
}
