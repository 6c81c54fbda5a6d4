/**
 * Reading many keys: Deno KV's `getMany` takes at most 10.
 *
 * @module
 */

/** The most keys one `getMany` reads. */
const MAX_GET_MANY = 10;

/**
 * Reads any number of keys, ten per `getMany`, all at once.
 *
 * @param kv The store.
 * @param keys What to read.
 * @returns The entries, in the order of `keys`.
 */
export async function readMany<T>(
  kv: Deno.Kv,
  keys: readonly Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const batches: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < keys.length; i += MAX_GET_MANY) {
    batches.push(kv.getMany<T[]>(keys.slice(i, i + MAX_GET_MANY)));
  }
  return (await Promise.all(batches)).flat();
}
