/**
 * How a stream's record is kept in Deno KV: under `record/<path>` with the
 * id of the stream's generation, and with `accessedAt` also under
 * `accessed/<path>` once a read touched it.
 *
 * @module
 */
import type { StreamRecord } from "../../ports/stream_store.ts";

/** The value of a record key. */
export interface StoredRecord {
  /** The stream's record, as the core gave it. */
  readonly record: StreamRecord;
  /** The id every key of the stream's chunks holds; new for each creation. */
  readonly generation: string;
}

/**
 * The record with the `accessedAt` written last: by the commit that wrote
 * the record, or by a later touch (KV versionstamps grow with every write).
 *
 * @param entry The record key's entry.
 * @param accessed The `accessed` key's entry.
 * @returns The record as the port hands it out.
 */
export function withAccess(
  entry: Deno.KvEntry<StoredRecord>,
  accessed: Deno.KvEntryMaybe<number>,
): StreamRecord {
  const { record } = entry.value;
  return accessed.value !== null && accessed.versionstamp! > entry.versionstamp
    ? { ...record, accessedAt: accessed.value }
    : record;
}
