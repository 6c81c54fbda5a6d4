/**
 * Finding the jobs a claim may take: due delayed entries are first moved
 * to the ready index, then the ready entries and expired leases of each
 * name are merged in claim order (priority, then `runAt`, then age).
 *
 * @module
 */
import { commitEach } from "./_kv_commit.ts";
import type { ClaimOrder, DelayedEntry, KeySpace } from "./_key_space.ts";
import { isWaiting, type StoredJob } from "./_stored_job.ts";

/** A job a claim may take, from the ready index or an expired lease. */
export interface ClaimCandidate extends ClaimOrder {
  /** The job's id. */
  readonly id: string;
  /** Where it was found: it is `running` when its lease expired. */
  readonly source: "ready" | "lease";
  /** The index entry it was found by, which a claim checks is unchanged. */
  readonly entry: Deno.AtomicCheck;
}

/** Delayed entries moved per listing. */
const PROMOTE_BATCH = 100;

/**
 * Moves every delayed entry whose `runAt` has come to the ready index.
 * Processes racing on an entry each check its version, so each entry moves
 * once (and the delayed counter drops once).
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param nowMs The current time.
 */
export async function promoteDueJobs(kv: Deno.Kv, keys: KeySpace, nowMs: number): Promise<void> {
  for (;;) {
    const due = await Array.fromAsync(kv.list<DelayedEntry>(
      { prefix: keys.delayed, end: keys.delayedDueEnd(nowMs) },
      { limit: PROMOTE_BATCH },
    ));
    if (due.length === 0) return;
    await commitEach(kv, due, (op, entry) => {
      const id = entry.key.at(-1) as string;
      op.check(entry).delete(entry.key).set(keys.ready(id, entry.value), true);
      if (entry.value.state === "queued") {
        op.count(keys.count("delayed"), -1).count(keys.count("delayed", entry.value.name), -1);
      }
    });
    if (due.length < PROMOTE_BATCH) return;
  }
}

/**
 * Lists up to `limit` jobs a claim may take, best first.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param names The job names the claimer runs.
 * @param nowMs The current time: leases that ended by then are expired.
 * @param limit How many to return at most.
 * @returns The candidates, in claim order.
 */
export async function listClaimCandidates(
  kv: Deno.Kv,
  keys: KeySpace,
  names: readonly string[],
  nowMs: number,
  limit: number,
): Promise<ClaimCandidate[]> {
  const perName = await Promise.all(names.map(async (name) => {
    const [ready, expired] = await Promise.all([
      Array.fromAsync(kv.list<true>({ prefix: keys.readyOf(name) }, { limit })),
      Array.fromAsync(kv.list<ClaimOrder>(
        { prefix: keys.leasesOf(name), end: keys.leasesExpiredEnd(name, nowMs) },
        { limit },
      )),
    ]);
    return [
      ...ready.map(({ key, versionstamp }): ClaimCandidate => {
        const [negativePriority, runAtMs, id] = key.slice(-3) as [number, number, string];
        const priority = 0 - negativePriority;
        return { id, name, priority, runAtMs, source: "ready", entry: { key, versionstamp } };
      }),
      ...expired.map(({ key, value, versionstamp }): ClaimCandidate => ({
        ...value,
        id: key.at(-1) as string,
        source: "lease",
        entry: { key, versionstamp },
      })),
    ];
  }));
  return perName.flat().sort(compareClaimOrder).slice(0, limit);
}

/**
 * Tells whether a job read after its candidate was listed may still be
 * claimed through that entry: it still waits with the same claim order, or
 * its lease still ran out. (The claim also checks the entry's version, so a
 * job that left the ready index and came back, or went to the delayed
 * index, is never taken through a stale entry.)
 *
 * @param candidate Where the job was found.
 * @param job The job as read since.
 * @param nowMs The time the claim started.
 * @returns Whether the job may be claimed.
 */
export function isClaimable(candidate: ClaimCandidate, job: StoredJob, nowMs: number): boolean {
  if (candidate.source === "lease") {
    return job.state === "running" && job.leaseExpiresAt!.getTime() <= nowMs;
  }
  return isWaiting(job.state) && job.priority === candidate.priority &&
    job.runAt.getTime() === candidate.runAtMs;
}

/**
 * Orders jobs for claiming: higher priority, then earlier `runAt`, then
 * older (smaller UUIDv7) first.
 *
 * @param a A job.
 * @param b Another job.
 * @returns Negative when `a` goes first.
 */
export function compareClaimOrder(
  a: ClaimOrder & { readonly id: string },
  b: ClaimOrder & { readonly id: string },
): number {
  return b.priority - a.priority || a.runAtMs - b.runAtMs ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
