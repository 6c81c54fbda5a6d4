/**
 * Committing and reading on a Deno KV file that other processes write too.
 *
 * Deno KV's SQLite backend reports `database is locked` when another
 * connection wrote between a transaction's checks and its first write
 * (nothing was written then), so a commit is tried again after a short
 * random pause. KV refuses an operation over its limits with a `TypeError`
 * before writing: at most 100 checks, 1,000 mutations, 800 KiB of keys and
 * values, 80 KiB of keys, 64 KiB per value; and `getMany` reads at most 10
 * keys.
 *
 * @module
 */
import { type StoreErrorOptions, storeUnavailableError } from "../classify_store_error.ts";

/** How long a commit keeps retrying a locked file. */
const LOCKED_TIMEOUT_MS = 10_000;

/** The most keys one `getMany` reads. */
const MAX_GET_MANY = 10;

/**
 * Commits an atomic operation, retrying while the file is locked by another
 * connection's write.
 *
 * @param op The operation.
 * @param store How errors name the store.
 * @returns KV's result: `ok: false` when a check failed.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file stays locked for 10 s.
 *
 * @example
 * ```ts
 * import { commitAtomic } from "@netscript/store/kv";
 *
 * const kv = await Deno.openKv(":memory:");
 * const result = await commitAtomic(kv.atomic().set(["a"], 1), { driver: "kv", target: ":memory:" });
 * console.log(result.ok); // true
 * kv.close();
 * ```
 */
export async function commitAtomic(
  op: Deno.AtomicOperation,
  store: StoreErrorOptions,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  const deadline = Date.now() + LOCKED_TIMEOUT_MS;
  for (;;) {
    try {
      return await op.commit();
    } catch (error) {
      if (!(error instanceof TypeError && /database is locked/i.test(error.message))) throw error;
      if (Date.now() > deadline) {
        throw storeUnavailableError(
          `the file stayed locked for ${
            LOCKED_TIMEOUT_MS / 1000
          } s; check for a process holding a long write on it`,
          { ...store, cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 18));
    }
  }
}

/**
 * Whether an error is KV refusing an operation over one of its limits.
 *
 * @param error What a commit threw.
 * @returns `true` for KV's "too large" or "too many" `TypeError`.
 *
 * @example
 * ```ts
 * import { isKvLimitError } from "@netscript/store/kv";
 *
 * console.log(isKvLimitError(new TypeError("Value too large (max 65536 bytes)"))); // true
 * ```
 */
export function isKvLimitError(error: unknown): error is TypeError {
  return error instanceof TypeError && /too large|too many/i.test(error.message);
}

/**
 * Reads any number of keys, ten per `getMany`, all at once.
 *
 * @param kv The store.
 * @param keys What to read.
 * @returns The entries, in the order of `keys`.
 *
 * @example
 * ```ts
 * import { readMany } from "@netscript/store/kv";
 *
 * const kv = await Deno.openKv(":memory:");
 * const entries = await readMany<number>(kv, Array.from({ length: 25 }, (_, i) => ["n", i]));
 * console.log(entries.length); // 25
 * kv.close();
 * ```
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
