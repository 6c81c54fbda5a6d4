/**
 * Committing atomic operations on a KV file that other processes write too.
 * Deno KV's SQLite backend reports `database is locked` when another
 * connection wrote between this transaction's checks and its first write
 * (nothing was written then), so the commit is tried again after a short
 * random pause.
 *
 * @module
 */
import { type StoreErrorOptions, storeUnavailableError } from "@netscript/store";

/** How long a commit keeps retrying a locked file. */
const LOCKED_TIMEOUT_MS = 10_000;

/**
 * Commits an operation, retrying while the file is locked by another
 * connection's write.
 *
 * @param op The operation.
 * @param store How errors name the store.
 * @returns KV's result: `ok: false` when a check failed.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file stays locked for 10 s.
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
