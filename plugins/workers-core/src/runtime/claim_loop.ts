import type { Logger } from "@netscript/telemetry";
import type { JobDefinition } from "../dsl/define_job.ts";
import type { JobQueue, JobRecord } from "../ports/job_queue.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { claimGroups, kindAtLimit } from "./claim_plan.ts";
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
  /** Fires when the limits change, so the loop claims or waits with them at once. */
  readonly reconfigured: Wakeup;
  /** Where failed claims are logged. */
  readonly logger: Logger;
  /** Aborts when the worker stops: the loop ends. */
  readonly signal: AbortSignal;
}

/**
 * One claim round: claims, group by group ({@linkcode claimGroups}), as many
 * jobs as the free slots (and each kind's own limit) allow, with the current
 * lease length, and launches them.
 *
 * @param options The store, the worker, its jobs and its limits.
 * @returns `more`: some claim filled its limit, so more may be waiting.
 * @throws When the store cannot claim.
 */
export async function claimRound(options: ClaimLoopOptions): Promise<{ more: boolean }> {
  const { running, signal } = options;
  const free = () => options.limits().concurrency - running.size;
  let more = false;
  const groups = claimGroups(options.jobs.values(), {
    free: free(),
    countOf: (name) => running.countOf(name),
  });
  for (const group of groups) {
    const limit = Math.min(group.limit, free());
    if (limit <= 0 || signal.aborted) break;
    const batch = await options.queue.claim({
      ...group,
      workerId: options.workerId,
      limit,
      leaseMs: options.limits().leaseMs,
    });
    for (const job of batch) options.launch(job);
    if (batch.length === limit) more = true;
  }
  return { more };
}

/**
 * A worker's claim loop, until its signal aborts: claims a round; claims
 * again at once when a claim filled its limit; else waits for the store's
 * wake-up (at most `pollMs`), for a slot to free when the slots or a
 * kind's limit stopped the claim, or for new limits. A round that fails
 * is logged, and retried after `pollMs`.
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
 * or, when nothing can be claimed now, a freed slot (or a minute). New
 * limits end the wait.
 */
async function _waitForTurn(options: ClaimLoopOptions): Promise<void> {
  const { running, signal } = options;
  const limits = options.limits();
  const jobs = [...options.jobs.values()];
  const waiting = new AbortController();
  const wake = () => waiting.abort();
  const unsubscribe = [options.reconfigured.once(wake)];
  if (running.size >= limits.concurrency || kindAtLimit(jobs, running)) {
    unsubscribe.push(running.freed.once(wake));
  }
  const nothingToClaim = claimGroups(jobs, {
    free: limits.concurrency - running.size,
    countOf: (name) => running.countOf(name),
  }).length === 0;
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
