/** Options of {@linkcode applyCrashPolicy}. */
export interface CrashPolicyOptions {
  /**
   * Crashes within `crashWindowMs` after which a process is given up.
   * @default {5}
   */
  maxCrashes?: number;
  /**
   * The window for counting crashes.
   * @default {30000}
   */
  crashWindowMs?: number;
  /**
   * The delay before restarting after the first crash in the window; each
   * further crash doubles it.
   * @default {500}
   */
  backoffMs?: number;
  /**
   * The longest delay before a restart.
   * @default {10000}
   */
  maxBackoffMs?: number;
}

/** What to do after a process crashed. */
export type CrashDecision =
  | {
    /** Start the process again after `delayMs`. */
    action: "restart";
    /** How long to wait before starting it again. */
    delayMs: number;
    /** The crash times within the window, this one included, oldest first. */
    crashes: number[];
  }
  | {
    /** Leave the process stopped: it crashed too often too quickly. */
    action: "give-up";
    /** The crash times within the window, this one included, oldest first. */
    crashes: number[];
    /** The window the crashes were counted in. */
    crashWindowMs: number;
  };

/**
 * Decides whether a process that just crashed is restarted, and after how
 * long: crashes older than the window are forgotten; at `maxCrashes` within
 * it the process is given up; otherwise the delay doubles with each crash in
 * the window, up to `maxBackoffMs`. A pure function.
 *
 * @param crashes The earlier crash times still remembered, oldest first (the
 *   `crashes` of the previous decision, or none).
 * @param now The time of this crash, in milliseconds.
 * @param options The limits and delays.
 * @returns The decision, with the crash times to pass next time.
 * @example
 * ```ts
 * import { applyCrashPolicy } from "./crash_policy.ts";
 *
 * const first = applyCrashPolicy([], Date.now());
 * console.log(first.action); // "restart", after 500 ms
 * ```
 */
export function applyCrashPolicy(
  crashes: readonly number[],
  now: number,
  options: CrashPolicyOptions = {},
): CrashDecision {
  const {
    maxCrashes = 5,
    crashWindowMs = 30_000,
    backoffMs = 500,
    maxBackoffMs = 10_000,
  } = options;
  const recent = [...crashes.filter((time) => now - time <= crashWindowMs), now];
  if (recent.length >= maxCrashes) return { action: "give-up", crashes: recent, crashWindowMs };
  return {
    action: "restart",
    delayMs: Math.min(backoffMs * 2 ** (recent.length - 1), maxBackoffMs),
    crashes: recent,
  };
}
