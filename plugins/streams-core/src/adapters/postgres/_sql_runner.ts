/**
 * How the Postgres stream store runs its statements: as named prepared
 * statements, so each connection parses and plans one once, with `bytea`
 * results decoded by {@linkcode parseBytea}.
 *
 * @module
 */
import pg, { type Pool, type PoolClient } from "pg";

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
    const query = { name: _statementName(text), text, values: [...values], types: TYPES };
    return (await connection.query(query)).rows as TRow[];
  };
}

/** The type OID of `bytea`. */
const BYTEA_OID = 17;

/**
 * Decodes a `bytea` value sent as text. Postgres sends it in its hex
 * format (a backslash, `x`, then two hex digits a byte), which `Uint8Array.fromHex`
 * decodes natively; `pg`'s own parser goes through `node:buffer`, whose
 * hex decoding is more than ten times slower under Deno and was most of
 * the cost of a catch-up read. The old escape format
 * (`bytea_output = escape`) is left to `pg`'s parser.
 *
 * @param text The value as Postgres sent it.
 * @returns The bytes.
 */
export function parseBytea(text: string): Uint8Array {
  if (text.startsWith("\\x")) return Uint8Array.fromHex(text.slice(2));
  return pg.types.getTypeParser(BYTEA_OID, "text")(text) as Uint8Array;
}

/** `pg`'s type parsers, with {@linkcode parseBytea} for `bytea`. */
const TYPES = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === BYTEA_OID && format !== "binary") return parseBytea;
    return pg.types.getTypeParser(oid, format);
  },
};

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
