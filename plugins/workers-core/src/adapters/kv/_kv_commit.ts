/**
 * Committing atomic operations on a KV file that other processes write too.
 *
 * Deno KV's SQLite backend reports `database is locked` when another
 * connection wrote between this transaction's checks and its first write
 * (nothing was written then), so a commit is retried after a short random
 * pause (`commitAtomic` of `@netscript/store/kv`). Changes to counters
 * are summed per counter in the operation, so ten jobs moving from
 * `queued` to `running` cost four counter mutations, not forty.
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

const U64 = 1n << 64n;

/**
 * An atomic operation of the job store: checks, sets and deletes go to a
 * `Deno.AtomicOperation` as given; counter changes are summed per counter
 * and added when it commits, one mutation per counter that changed.
 */
export class JobOperation {
  readonly #op: Deno.AtomicOperation;
  readonly #counts = new Map<string, { key: Deno.KvKey; delta: bigint }>();

  /** @param kv The store. */
  constructor(kv: Deno.Kv) {
    this.#op = kv.atomic();
  }

  /** @param checks Entries whose versions must be unchanged. @returns This operation. */
  check(...checks: Deno.AtomicCheck[]): this {
    this.#op.check(...checks);
    return this;
  }

  /** @param key A key. @param value Its new value. @returns This operation. */
  set(key: Deno.KvKey, value: unknown): this {
    this.#op.set(key, value);
    return this;
  }

  /** @param key A key to delete. @returns This operation. */
  delete(key: Deno.KvKey): this {
    this.#op.delete(key);
    return this;
  }

  /**
   * Adds `delta` to a `Deno.KvU64` counter when the operation commits
   * (modulo 2^64, so a negative delta subtracts).
   *
   * @param key The counter.
   * @param delta What to add.
   * @returns This operation.
   */
  count(key: Deno.KvKey, delta: number | bigint): this {
    const id = JSON.stringify(key);
    const sum = this.#counts.get(id);
    if (sum === undefined) this.#counts.set(id, { key, delta: BigInt(delta) });
    else sum.delta += BigInt(delta);
    return this;
  }

  /**
   * Commits, retrying while the file is locked by another connection's
   * write. Commit an operation once.
   *
   * @returns KV's result: `ok: false` when a check failed.
   * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file stays locked for 10 s.
   */
  commit(): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
    for (const { key, delta } of this.#counts.values()) {
      if (delta !== 0n) this.#op.sum(key, ((delta % U64) + U64) % U64);
    }
    this.#counts.clear();
    return commitAtomic(this.#op, KV_JOB_STORE);
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
 * @param options Checks every operation makes once, whatever its items.
 * @returns The items whose change was committed.
 */
export async function commitEach<T>(
  kv: Deno.Kv,
  items: readonly T[],
  write: (op: JobOperation, item: T) => void,
  options: CommitEachOptions = {},
): Promise<T[]> {
  const checks = options.checks ?? [];
  const committed: T[] = [];
  for (let i = 0; i < items.length; i += JOBS_PER_COMMIT) {
    const group = items.slice(i, i + JOBS_PER_COMMIT);
    if (group.length > 1 && await _commitTogether(kv, group, write, checks)) {
      committed.push(...group);
      continue;
    }
    for (const item of group) {
      if (await _commitTogether(kv, [item], write, checks)) committed.push(item);
    }
  }
  return committed;
}

/** Options of {@linkcode commitEach}. */
export interface CommitEachOptions {
  /**
   * Entries whose versions every operation checks once, besides its items'
   * own checks (the state events' watch entry of a settle).
   * @default {[]}
   */
  readonly checks?: readonly Deno.AtomicCheck[] | undefined;
}

async function _commitTogether<T>(
  kv: Deno.Kv,
  group: readonly T[],
  write: (op: JobOperation, item: T) => void,
  checks: readonly Deno.AtomicCheck[],
): Promise<boolean> {
  const op = new JobOperation(kv).check(...checks);
  for (const item of group) write(op, item);
  try {
    return (await op.commit()).ok;
  } catch (error) {
    if (group.length > 1 && isKvLimitError(error)) return false;
    throw error;
  }
}
