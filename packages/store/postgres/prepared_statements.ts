/**
 * Running a store's statements on `pg` as named prepared statements (each
 * connection parses and plans a statement once, which takes about half the
 * time of a small statement away), alone or in a transaction.
 *
 * @module
 */
import type { CustomTypesConfig, Pool, PoolClient } from "pg";

/** Runs one statement and resolves with its rows, typed as the caller's SQL promises. */
export type SqlRunner = <TRow>(text: string, values: readonly unknown[]) => Promise<TRow[]>;

/** Options of {@linkcode preparedRunner}. */
export interface PreparedRunnerOptions {
  /** What each statement's name starts with, e.g. `workers`: one prefix a store. */
  readonly prefix: string;
  /**
   * The type parsers of the results.
   * @default {pg's}
   */
  readonly types?: CustomTypesConfig | undefined;
}

const STATEMENT_NAMES = new Map<string, string>();

/**
 * Runs statements on a pool, or a client taken from it, as named prepared
 * statements.
 *
 * @param connection The pool or one of its clients.
 * @param options The statements' name prefix and the result type parsers.
 * @returns The runner.
 *
 * @example
 * ```ts ignore
 * import pg from "pg";
 * import { preparedRunner } from "@netscript/store/postgres";
 *
 * const pool = new pg.Pool({ connectionString: Deno.env.get("DATABASE_URL") });
 * const run = preparedRunner(pool, { prefix: "billing" });
 * console.log(await run<{ one: number }>("SELECT 1 AS one", []));
 * await pool.end();
 * ```
 */
export function preparedRunner(
  connection: Pool | PoolClient,
  options: PreparedRunnerOptions,
): SqlRunner {
  const { prefix, types } = options;
  return async <TRow>(text: string, values: readonly unknown[]) => {
    const name = _statementName(prefix, text);
    const query = types === undefined
      ? { name, text, values: [...values] }
      : { name, text, values: [...values], types };
    return (await connection.query(query)).rows as TRow[];
  };
}

/** Options of {@linkcode inTransaction}. */
export interface InTransactionOptions<T> extends PreparedRunnerOptions {
  /**
   * Whether to commit what the body resolved with; a `false` rolls back.
   * @default {always}
   */
  readonly commit?: ((result: T) => boolean) | undefined;
}

/**
 * Runs `body` in a transaction on one of the pool's clients, with a
 * prepared-statement runner on that client: commits when it resolves
 * (unless `commit` says otherwise), rolls back when it throws, and discards
 * the client when even the rollback fails.
 *
 * @param pool The pool.
 * @param body The statements of the transaction.
 * @param options The runner's options and the commit decision.
 * @returns What `body` resolved with.
 *
 * @example
 * ```ts ignore
 * import pg from "pg";
 * import { inTransaction } from "@netscript/store/postgres";
 *
 * const pool = new pg.Pool({ connectionString: Deno.env.get("DATABASE_URL") });
 * await inTransaction(pool, (run) => run("UPDATE invoices SET paid = true WHERE id = $1", [7]), {
 *   prefix: "billing",
 * });
 * await pool.end();
 * ```
 */
export async function inTransaction<T>(
  pool: Pool,
  body: (run: SqlRunner) => Promise<T>,
  options: InTransactionOptions<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await body(preparedRunner(client, options));
    await client.query(
      options.commit === undefined || options.commit(result) ? "COMMIT" : "ROLLBACK",
    );
    client.release();
    return result;
  } catch (error) {
    await client.query("ROLLBACK").then(() => client.release(), (lost) => client.release(lost));
    throw error;
  }
}

/** A stable name for a statement: the prefix and a hash of its text. */
function _statementName(prefix: string, text: string): string {
  const key = `${prefix}\u0000${text}`;
  let name = STATEMENT_NAMES.get(key);
  if (name === undefined) {
    let hash = 2166136261;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    name = `${prefix}_${(hash >>> 0).toString(16)}`;
    STATEMENT_NAMES.set(key, name);
  }
  return name;
}
