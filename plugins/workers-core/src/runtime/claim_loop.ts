import type { Logger } from "@netscript/telemetry";
import type { JobDefinition } from "../dsl/define_job.ts";
import type { JobQueue, JobRecord } from "../ports/job_queue.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { claimGroups, kindAtLimit, type SlotUse } from "./claim_plan.ts";
import { ClaimedAhead } from "./claimed_ahead.ts";
import type { RunningJobs } from "./running_jobs.ts";
import type { ResolvedWorkerLimits } from "./worker_limits.ts";
import type { Wakeup } from "./wakeup.ts";

/** How long a worker with no claim to make waits before looking again, unless woken. */
const IDLE_WAIT_MS = 60_000;

/** Options of {@linkcode claimRound} and {@linkcode runClaimLoop}. */
export interface ClaimLoopOptions {
  /** The store. */
  readonly queue: JobQueue;
  /** The worker the leases are held in. */
  readonly workerId: string;
  /** The jobs the worker runs. */
  readonly jobs: ReadonlyMap<string, JobDefinition>;
  /** What the worker runs now. */
  readonly running: RunningJobs;
  /** The worker's limits now: read at every round and every wait. */
  readonly limits: () => ResolvedWorkerLimits;
  /** Starts a claimed job (in `running`). */
  readonly launch: (job: JobRecord) => void;
  /** The jobs claimed ahead of a free slot, not started yet. */
  readonly ahead: ClaimedAhead;
  /** Fires when the limits change, so the loop claims or waits with them at once. */
  readonly reconfigured: Wakeup;
  /** Where failed claims are logged. */
  readonly logger: Logger;
  /** Aborts when the worker stops: the loop ends. */
  readonly signal: AbortSignal;
}

/**
 * Starts jobs claimed ahead while a slot is free, in their order; none once
 * the worker stops.
 *
 * @param options The worker's limits, what it runs and holds, and its signal.
 */
export function startClaimedAhead(
  options: Pick<ClaimLoopOptions, "running" | "ahead" | "limits" | "launch" | "signal">,
): void {
  const { running, ahead } = options;
  const { concurrency, claimAhead } = options.limits();
  while (ahead.size > 0 && running.size < concurrency && !options.signal.aborted) {
    options.launch(ahead.take(claimAhead)!);
  }
}

/**
 * One claim round: claims, group by group ({@linkcode claimGroups}), as many
 * jobs as the free slots (and each kind's own limit) allow, plus, with
 * `claimAhead`, enough to fill the local queue once it has drained to its
 * low-water mark; with the current lease length. Starts what the free
 * slots take and keeps the rest in `ahead`.
 *
 * @param options The store, the worker, its jobs and its limits.
 * @returns `more`: some claim filled its limit, so more may be waiting.
 * @throws When the store cannot claim.
 */
export async function claimRound(options: ClaimLoopOptions): Promise<{ more: boolean }> {
  const { running, signal } = options;
  const free = () => options.limits().concurrency - running.size;
  let more = false;
  // The group of kinds without their own limit comes first: its limit,
  // free slots and room ahead included, is current when it is claimed.
  for (const group of claimGroups(options.jobs.values(), _slotUse(options))) {
    const limit = group.kindLimit === undefined ? group.limit : Math.min(group.limit, free());
    if (limit <= 0 || signal.aborted) break;
    const batch = await options.queue.claim({
      ...group,
      workerId: options.workerId,
      limit,
      leaseMs: options.limits().leaseMs,
    });
    options.ahead.add(batch);
    startClaimedAhead(options);
    if (batch.length === limit) more = true;
  }
  return { more };
}

/**
 * The room a claim has: the free slots, and the jobs to claim ahead, once
 * the local queue has drained to its low-water mark.
 */
function _slotUse(options: ClaimLoopOptions): SlotUse {
  const { running, ahead } = options;
  const { concurrency, claimAhead } = options.limits();
  const refill = claimAhead > 0 && ahead.size <= ClaimedAhead.lowWater(claimAhead);
  return {
    free: concurrency - running.size,
    ahead: refill ? claimAhead - ahead.size : 0,
    countOf: (name) => running.countOf(name),
  };
}

/**
 * A worker's claim loop, until its signal aborts: claims a round; claims
 * again at once when a claim filled its limit; else waits for the store's
 * wake-up (at most `pollMs`), for a slot to free when the slots or a
 * kind's limit stopped the claim (or, with jobs claimed ahead, for the
 * local queue to drain to its low-water mark), or for new limits. A round
 * that fails is logged, and retried after `pollMs`.
 *
 * @param options The store, the worker, its jobs, its limits and its signal.
 * @returns A promise that resolves once the signal aborted.
 */
export async function runClaimLoop(options: ClaimLoopOptions): Promise<void> {
  const { signal, reconfigured } = options;
  while (!signal.aborted) {
    const seen = reconfigured.count;
    try {
      if ((await claimRound(options)).more) continue;
    } catch (error) {
      options.logger.error("cannot claim jobs; retrying", { error: String(error) });
      await abortableSleep(options.limits().pollMs, signal);
      continue;
    }
    if (reconfigured.count !== seen) continue;
    await _waitForTurn(options);
  }
}

/**
 * Waits until a claim may find something: the store's wake-up or `pollMs`;
 * or, when nothing can be claimed now, a freed slot (or, with jobs claimed
 * ahead, the local queue drained to its low-water mark; or a minute). New
 * limits end the wait.
 */
async function _waitForTurn(options: ClaimLoopOptions): Promise<void> {
  const { running, ahead, signal } = options;
  const limits = options.limits();
  const jobs = [...options.jobs.values()];
  const waiting = new AbortController();
  const wake = () => waiting.abort();
  const unsubscribe = [options.reconfigured.once(wake)];
  if (ahead.size > 0) unsubscribe.push(ahead.drained.once(wake));
  else if (running.size >= limits.concurrency || kindAtLimit(jobs, running)) {
    unsubscribe.push(running.freed.once(wake));
  }
  const nothingToClaim = claimGroups(jobs, _slotUse(options)).length === 0;
  const until = AbortSignal.any([waiting.signal, signal]);
  try {
    await options.queue.waitForWork(nothingToClaim ? IDLE_WAIT_MS : limits.pollMs, until);
  } catch (error) {
    options.logger.debug("cannot wait for work; polling", { error: String(error) });
    await abortableSleep(limits.pollMs, until);
  } finally {
    for (const remove of unsubscribe) remove();
    waiting.abort();
  }
}
