import type { Logger } from "@netscript/telemetry";
import type { JobQueue } from "../ports/job_queue.ts";
import { leaseLostReason } from "./abort_reasons.ts";
import type { ClaimedAhead } from "./claimed_ahead.ts";
import type { RunningJobs } from "./running_jobs.ts";

/** Options of {@linkcode extendLeases}. */
export interface ExtendLeasesOptions {
  /** The store. */
  readonly queue: JobQueue;
  /** The worker holding the leases. */
  readonly workerId: string;
  /** What the worker holds. */
  readonly running: RunningJobs;
  /** The jobs it claimed ahead and has not started. */
  readonly ahead: ClaimedAhead;
  /** The new lease length, from now. */
  readonly leaseMs: number;
  /** Where a failed extension is logged. */
  readonly logger: Logger;
}

/**
 * One heartbeat: extends the lease of every job the worker holds (running,
 * with an outcome being written, or claimed ahead) by `leaseMs`, aborts
 * each running attempt whose job the worker no longer holds, with a
 * `WORKERS_LEASE_LOST` reason, and drops such jobs claimed ahead. A store
 * that cannot be reached is logged; the next beat tries again.
 *
 * @param options The store, the worker, its jobs and the lease length.
 * @returns A promise that resolves once the beat is done; it never rejects.
 */
export async function extendLeases(options: ExtendLeasesOptions): Promise<void> {
  const { running, ahead, logger } = options;
  const ids = running.leased();
  if (ahead.size > 0) ids.push(...ahead.ids());
  if (ids.length === 0) return;
  let held: Set<string>;
  try {
    held = new Set(await options.queue.heartbeat(options.workerId, ids, options.leaseMs));
  } catch (error) {
    logger.warn("cannot extend job leases", { error: String(error), jobs: ids.length });
    return;
  }
  const lost = new Set(ids.filter((id) => !held.has(id)));
  if (lost.size === 0) return;
  for (const id of lost) running.abort(id, leaseLostReason(id));
  for (const job of ahead.remove(lost)) {
    logger.warn("job claimed ahead lost its lease; another worker runs it now", {
      job: job.id,
      name: job.name,
    });
  }
}

/** A timer that beats at an interval read afresh at each restart. */
export interface Heartbeat {
  /** Starts beating; nothing when it beats already. */
  start(): void;
  /** Beats at the current interval from now on, when started. */
  restart(): void;
  /** Stops beating. */
  stop(): void;
}

/**
 * A heartbeat timer: calls `beat` every `intervalMs()` milliseconds
 * between `start()` and `stop()`. `restart()` applies a changed interval
 * at once.
 *
 * @param beat What each beat does; it must not reject.
 * @param intervalMs The interval, read when the timer (re)starts.
 * @returns The timer, stopped.
 *
 * @example
 * ```ts ignore
 * const heartbeat = createHeartbeat(() => extendLeases(options), () => heartbeatInterval(limits));
 * heartbeat.start();
 * heartbeat.stop();
 * ```
 */
export function createHeartbeat(
  beat: () => unknown,
  intervalMs: () => number,
): Heartbeat {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const start = () => {
    timer ??= setInterval(beat, intervalMs());
  };
  return {
    start,
    restart() {
      if (timer === undefined) return;
      stop();
      start();
    },
    stop,
  };
}
