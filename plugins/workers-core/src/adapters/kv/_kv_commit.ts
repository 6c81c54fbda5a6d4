/**
 * Committing atomic operations on a KV file that other processes write too.
 *
 * Deno KV's SQLite backend reports `database is locked` when another
 * connection wrote between this transaction's checks and its first write
 * (nothing was written then), so a commit is retried after a short random
 * pause (`commitAtomic` of `@netscript/store/kv`).
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";
import { commitAtomic, isKvLimitError } from "@netscript/store/kv";
import { JOB_STORE } from "../job_store_names.ts";

/**
 * The most jobs changed in one atomic operation: each record is small (the
 * input lives apart), so ten stay far below every limit.
 */
export const JOBS_PER_COMMIT = 10;

/** How the workers job store's KV file is named in store errors. */
const KV_JOB_STORE: StoreErrorOptions = { ...JOB_STORE, driver: "kv", target: "its Deno KV file" };

/**
 * Commits an operation of the job store, retrying while the file is
 * locked by another connection's write.
 *
 * @param op The operation.
 * @returns KV's result: `ok: false` when a check failed.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file stays locked for 10 s.
 */
export function commitJobs(
  op: Deno.AtomicOperation,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  return commitAtomic(op, KV_JOB_STORE);
}

/**
 * Commits one change per item, {@linkcode JOBS_PER_COMMIT} items per atomic
 * operation; when a group's checks fail (another process changed one of
 * its jobs), commits its items one by one, so only the items that lost the
 * race are left out.
 *
 * @param kv The store.
 * @param items What to change.
 * @param write Adds one item's checks and mutations to an operation.
 * @returns The items whose change was committed.
 */
export async function commitEach<T>(
  kv: Deno.Kv,
  items: readonly T[],
  write: (op: Deno.AtomicOperation, item: T) => void,
): Promise<T[]> {
  const committed: T[] = [];
  for (let i = 0; i < items.length; i += JOBS_PER_COMMIT) {
    const group = items.slice(i, i + JOBS_PER_COMMIT);
    if (group.length > 1 && await _commitTogether(kv, group, write)) {
      committed.push(...group);
      continue;
    }
    for (const item of group) {
      if (await _commitTogether(kv, [item], write)) committed.push(item);
    }
  }
  return committed;
}

async function _commitTogether<T>(
  kv: Deno.Kv,
  group: readonly T[],
  write: (op: Deno.AtomicOperation, item: T) => void,
): Promise<boolean> {
  const op = kv.atomic();
  for (const item of group) write(op, item);
  try {
    return (await commitJobs(op)).ok;
  } catch (error) {
    if (group.length > 1 && isKvLimitError(error)) return false;
    throw error;
  }
}
