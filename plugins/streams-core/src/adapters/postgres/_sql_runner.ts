/**
 * How the Postgres stream store runs its statements: as named prepared
 * statements (`@netscript/store/postgres`), with `bytea` results decoded by
 * {@linkcode parseBytea}.
 *
 * @module
 */
import type { PreparedRunnerOptions } from "@netscript/store/postgres";
import pg from "pg";

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
const TYPES: NonNullable<PreparedRunnerOptions["types"]> = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === BYTEA_OID && format !== "binary") return parseBytea;
    return pg.types.getTypeParser(oid, format);
  },
};

/** How the stream store's statements are prepared: their name prefix and result parsers. */
export const STREAM_STATEMENTS: PreparedRunnerOptions = { prefix: "streams", types: TYPES };
