/**
 * Listing streams with their sizes from Deno KV.
 *
 * @module
 */
import { readMany } from "@netscript/store/kv";
import type { StreamSummary } from "../../ports/stream_store.ts";
import type { KvContext } from "./_kv_context.ts";
import { encodedKeySize, MAX_KEY_BYTES } from "./_kv_limits.ts";
import { type StoredRecord, withAccess } from "./_stored_record.ts";

/**
 * Lists streams in path order, each with its size counters.
 *
 * @param context The handle, keys and error names.
 * @param options Paths after `after`, starting with `prefix`, at most `limit`.
 * @returns The streams with their stored sizes.
 */
export async function listStreams(
  { kv, keys }: KvContext,
  options: { prefix?: string; after?: string; limit: number },
): Promise<StreamSummary[]> {
  const { prefix = "", after } = options;
  if (options.limit <= 0 || !_fits(keys.record(prefix))) return [];
  const fromAfter = after !== undefined && after > prefix && _fits(keys.record(after));
  const records: Deno.KvEntry<StoredRecord>[] = [];
  const entries = kv.list<StoredRecord>(
    { prefix: keys.records, start: keys.record(fromAfter ? after : prefix) },
    { batchSize: Math.min(options.limit + 1, 500) },
  );
  for await (const entry of entries) {
    const { path } = entry.value.record;
    if (!path.startsWith(prefix)) break;
    if (after !== undefined && path <= after) continue;
    records.push(entry);
    if (records.length === options.limit) break;
  }
  const extras = await readMany<unknown>(
    kv,
    records.flatMap(({ value: { record: { path } } }) => [
      keys.accessed(path),
      keys.bytes(path),
      keys.chunkCount(path),
    ]),
  );
  return records.map((entry, i) => ({
    record: withAccess(entry, extras[3 * i] as Deno.KvEntryMaybe<number>),
    bytes: _count(extras[3 * i + 1]!),
    chunks: _count(extras[3 * i + 2]!),
  }));
}

/** Whether a key can be read: KV reads keys of up to one byte more than it writes. */
function _fits(key: Deno.KvKey): boolean {
  return encodedKeySize(key) <= MAX_KEY_BYTES + 1;
}

function _count(entry: Deno.KvEntryMaybe<unknown>): number {
  return Number((entry.value as Deno.KvU64 | null)?.value ?? 0n);
}
