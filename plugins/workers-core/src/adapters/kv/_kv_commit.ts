/**
 * Committing atomic operations on a KV file that other processes write too.
 *
 * Deno KV's SQLite backend reports `database is locked` when another
 * connection wrote between this transaction's checks and its first write
 * (nothing was written then), so a commit is retried after a short random
 * pause. KV also refuses an operation over its limits with a `TypeError`
 * before committing: at most 100 checks, 1,000 mutations, 800 KiB of keys
 * and values, 80 KiB of keys, 64 KiB per value.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { JOB_STORE } from "../job_store_names.ts";

/**
 * The most jobs changed in one atomic operation: each record is small (the
 * input lives apart), so ten stay far below every limit.
 */
export const JOBS_PER_COMMIT = 10;

/** How long a commit keeps retrying a locked file. */
const LOCKED_TIMEOUT_MS = 10_000;

/**
 * @param error What a commit threw.
 * @returns Whether it is KV refusing an operation over one of its limits.
 */
export function isLimitError(error: unknown): error is TypeError {
  return error instanceof TypeError && /too large|too many/i.test(error.message);
}

/**
 * Commits an operation, retrying while the file is locked by another
 * connection's write.
 *
 * @param op The operation.
 * @returns KV's result: `ok: false` when a check failed.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file stays locked for 10 s.
 */
export async function commitAtomic(
  op: Deno.AtomicOperation,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  const deadline = Date.now() + LOCKED_TIMEOUT_MS;
  for (;;) {
    try {
      return await op.commit();
    } catch (error) {
      if (!(error instanceof TypeError && /database is locked/i.test(error.message))) throw error;
      if (Date.now() > deadline) {
        throw new NetScriptError(
          "STORE_UNAVAILABLE",
          `The workers job store's KV file stayed locked for ${
            LOCKED_TIMEOUT_MS / 1000
          } s; check for a process holding a long write on it`,
          {
            details: { dependency: JOB_STORE.dependency, timeoutMs: LOCKED_TIMEOUT_MS },
            cause: error,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 18));
    }
  }
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
    return (await commitAtomic(op)).ok;
  } catch (error) {
    if (group.length > 1 && isLimitError(error)) return false;
    throw error;
  }
}
