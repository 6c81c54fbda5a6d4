/**
 * The limits a running worker can change with `Worker.configure()`; a
 * field left out (or `undefined`) keeps its value.
 */
export interface WorkerLimits {
  /** Jobs run at once: an integer from 1. */
  readonly concurrency?: number | undefined;
  /** The longest wait for work between claims, in milliseconds: an integer from 1. */
  readonly pollMs?: number | undefined;
  /**
   * How long a claimed job stays leased without a heartbeat, in
   * milliseconds: an integer from 3. Heartbeats follow it (every
   * `leaseMs / 3`) unless the worker was given `heartbeatMs`.
   */
  readonly leaseMs?: number | undefined;
  /**
   * Jobs claimed ahead: at most this many jobs the worker holds under its
   * lease, beyond those running, to start the moment a slot frees without
   * a store call. An integer from 0 (off) to 10000.
   * Lowering it gives the jobs beyond the new size back to the queue.
   */
  readonly claimAhead?: number | undefined;
}

/** A worker's limits, every default filled in. */
export interface ResolvedWorkerLimits {
  /** Jobs run at once. */
  readonly concurrency: number;
  /** The longest wait for work between claims. */
  readonly pollMs: number;
  /** How long a claimed job stays leased without a heartbeat. */
  readonly leaseMs: number;
  /** Jobs claimed ahead of a free slot, at most; 0 is off. */
  readonly claimAhead: number;
  /** How often leases are extended, when fixed; else `leaseMs / 3`. */
  readonly heartbeatMs: number | undefined;
}

/**
 * A worker's limits when it is given none: one job at a time, a 1 s poll,
 * a 30 s lease, nothing claimed ahead.
 */
export const DEFAULT_WORKER_LIMITS: {
  readonly concurrency: number;
  readonly pollMs: number;
  readonly leaseMs: number;
  readonly claimAhead: number;
} = Object.freeze({
  concurrency: 1,
  pollMs: 1_000,
  leaseMs: 30_000,
  claimAhead: 0,
});

/** The most jobs a worker may claim ahead of its free slots. */
export const MAX_CLAIM_AHEAD = 10_000;

/** The longest delay a timer takes: 2^31 − 1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A worker's first limits: the options given, {@linkcode DEFAULT_WORKER_LIMITS}
 * filled in, each checked.
 *
 * @param options The worker's options.
 * @returns The limits.
 * @throws {RangeError} Naming the first limit that is not an integer in its range.
 */
export function resolveWorkerLimits(
  options: WorkerLimits & { readonly heartbeatMs?: number | undefined },
): ResolvedWorkerLimits {
  if (options.heartbeatMs !== undefined) {
    _check("heartbeatMs", options.heartbeatMs, 1, MAX_TIMER_MS);
  }
  return updateWorkerLimits(
    { ...DEFAULT_WORKER_LIMITS, heartbeatMs: options.heartbeatMs },
    options,
  );
}

/**
 * The limits after a change: the fields given replace the current ones.
 * Nothing changes when one is invalid.
 *
 * @param current The limits now.
 * @param update The fields to change.
 * @returns The new limits.
 * @throws {RangeError} Naming the first limit that is not an integer in its
 * range: `concurrency` from 1, `pollMs` from 1 and `leaseMs` from 3, each at
 * most {@linkcode MAX_TIMER_MS} (`concurrency` at most 2^53 − 1), and
 * `claimAhead` from 0 to {@linkcode MAX_CLAIM_AHEAD}.
 */
export function updateWorkerLimits(
  current: ResolvedWorkerLimits,
  update: WorkerLimits,
): ResolvedWorkerLimits {
  const { concurrency, pollMs, leaseMs, claimAhead } = update;
  if (concurrency !== undefined) _check("concurrency", concurrency, 1, Number.MAX_SAFE_INTEGER);
  if (pollMs !== undefined) _check("pollMs", pollMs, 1, MAX_TIMER_MS);
  if (leaseMs !== undefined) _check("leaseMs", leaseMs, 3, MAX_TIMER_MS);
  if (claimAhead !== undefined) _check("claimAhead", claimAhead, 0, MAX_CLAIM_AHEAD);
  return {
    concurrency: concurrency ?? current.concurrency,
    pollMs: pollMs ?? current.pollMs,
    leaseMs: leaseMs ?? current.leaseMs,
    claimAhead: claimAhead ?? current.claimAhead,
    heartbeatMs: current.heartbeatMs,
  };
}

/**
 * How often a worker extends its leases: its fixed `heartbeatMs`, else a
 * third of `leaseMs`, so a lease survives two missed heartbeats.
 *
 * @param limits The worker's limits.
 * @returns Milliseconds.
 */
export function heartbeatInterval(limits: ResolvedWorkerLimits): number {
  return limits.heartbeatMs ?? Math.floor(limits.leaseMs / 3);
}

function _check(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `A worker's ${field} must be an integer from ${min} to ${max}, got ${
        typeof value === "number" ? value : JSON.stringify(value)
      }; pass a whole number in that range`,
    );
  }
}
