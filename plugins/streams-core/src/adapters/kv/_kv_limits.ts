/**
 * Deno KV's limits, which shape this store: an atomic operation holds at
 * most 100 checks, 1,000 mutations, 819,200 bytes of keys and values and
 * 81,920 bytes of keys; a key at most 2,048 bytes, a value 65,536. KV
 * refuses an operation over a limit with a `TypeError` before writing.
 *
 * @module
 */

/** The most bytes one key may take when written. */
export const MAX_KEY_BYTES = 2_048;

/** The mutations a batch of deletions stays under (KV allows 1,000). */
export const DELETES_PER_BATCH = 500;

/** The key bytes a batch of deletions stays under (KV allows 81,920). */
export const KEY_BYTES_PER_BATCH = 64_000;

const _encoder = new TextEncoder();

/**
 * The size of a key as KV encodes it: a type byte per part, strings and
 * byte arrays with a terminator and each zero byte doubled, numbers in
 * eight bytes.
 *
 * @param key The key.
 * @returns Its encoded size in bytes.
 */
export function encodedKeySize(key: Deno.KvKey): number {
  let size = 0;
  for (const part of key) {
    if (typeof part === "string" || part instanceof Uint8Array) {
      const bytes = typeof part === "string" ? _encoder.encode(part) : part;
      size += 2 + bytes.byteLength + bytes.filter((byte) => byte === 0).length;
    } else if (typeof part === "number") size += 9;
    else if (typeof part === "bigint") size += 2 + Math.ceil(part.toString(16).length / 2);
    else size += 1;
  }
  return size;
}
