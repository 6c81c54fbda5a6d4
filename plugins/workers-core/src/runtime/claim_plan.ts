import type { JobDefinition } from "../dsl/define_job.ts";

/** One claim of a round: which names, how many at most, and a kind's own limit. */
export interface ClaimGroup {
  /** The job names to claim. */
  readonly names: readonly string[];
  /** At most this many. */
  readonly limit: number;
  /** The kind's concurrency across every worker, for the store to keep; one name only. */
  readonly kindLimit?: number;
}

/** What a worker runs now, as a claim plan needs it. */
export interface SlotUse {
  /** Slots free: the worker's concurrency minus the attempts running. */
  readonly free: number;
  /**
   * Jobs to claim ahead of a free slot, on top of `free`, for kinds
   * without their own limit. @default {0}
   */
  readonly ahead?: number | undefined;
  /** Attempts of a kind running here now. */
  countOf(name: string): number;
}

/**
 * Which names to claim, and how many, given the free slots: the kinds
 * without their own limit together, up to the free slots plus the jobs to
 * claim ahead; each kind with its own limit on its own, up to the room it
 * has left here, with that limit for the store to keep across every
 * worker, and only when a slot is free (a kind with its own limit is never
 * claimed ahead: a job held but not started would count against the limit
 * of every worker). Nothing when neither a slot nor room ahead is free.
 *
 * @param jobs The jobs the worker runs.
 * @param slots The free slots and the attempts running by kind.
 * @returns The claims to make, in order.
 */
export function claimGroups(jobs: Iterable<JobDefinition>, slots: SlotUse): ClaimGroup[] {
  const free = Math.max(slots.free, 0);
  const ahead = Math.max(slots.ahead ?? 0, 0);
  if (free + ahead === 0) return [];
  const unlimited: string[] = [];
  const limited: ClaimGroup[] = [];
  for (const job of jobs) {
    if (job.concurrency === null) {
      unlimited.push(job.name);
      continue;
    }
    if (free === 0) continue;
    const room = job.concurrency - slots.countOf(job.name);
    if (room > 0) limited.push({ names: [job.name], limit: room, kindLimit: job.concurrency });
  }
  return [...(unlimited.length > 0 ? [{ names: unlimited, limit: free + ahead }] : []), ...limited];
}

/**
 * Whether some kind runs here as many attempts as its own limit allows, so
 * a slot freeing may make room for a claim.
 *
 * @param jobs The jobs the worker runs.
 * @param slots The attempts running by kind.
 * @returns `true` when a kind is at its limit.
 */
export function kindAtLimit(
  jobs: Iterable<JobDefinition>,
  slots: Pick<SlotUse, "countOf">,
): boolean {
  for (const job of jobs) {
    if (job.concurrency !== null && slots.countOf(job.name) >= job.concurrency) return true;
  }
  return false;
}
