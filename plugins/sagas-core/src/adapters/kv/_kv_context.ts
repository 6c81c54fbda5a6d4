/**
 * What every part of the KV saga store works with, and how it commits.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";
import { commitAtomic, isKvLimitError } from "@netscript/store/kv";
import type { KeySpace } from "./_key_space.ts";

/** The handle, the keys and how errors name the store. */
export interface KvContext {
  /** The open KV handle. */
  readonly kv: Deno.Kv;
  /** The store's key space. */
  readonly keys: KeySpace;
  /** How store errors name the store and its file. */
  readonly errors: StoreErrorOptions;
}

/**
 * Commits an atomic operation, retrying while another process's write
 * holds the file's lock.
 *
 * @param context The handle and how errors name the store.
 * @param op The operation.
 * @param what What it writes, for the error over KV's limits, e.g. `saga "order-1"`.
 * @returns Whether it committed: `false` when a check failed.
 * @throws {RangeError} When the operation is over one of KV's limits
 * (819,200 bytes, 1,000 mutations); nothing was written.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file stays locked for 10 s.
 */
export async function commitOp(
  context: KvContext,
  op: Deno.AtomicOperation,
  what: string,
): Promise<boolean> {
  try {
    return (await commitAtomic(op, context.errors)).ok;
  } catch (error) {
    if (isKvLimitError(error)) {
      throw new RangeError(
        `Cannot write ${what} to Deno KV: ${error.message}; one commit holds at most about 800,000 bytes of values (a single saga value may take 524,288), so write large values in separate commits`,
        { cause: error },
      );
    }
    throw error;
  }
}
