import type { ResolvedRetryPolicy } from "../dsl/define_job.ts";

/**
 * The wait before the next attempt after attempt `attempt` failed:
 * `delay` for fixed backoff; `delay × 2^(attempt − 1)` for exponential,
 * capped at `maxDelay`.
 *
 * @param policy The job's retry policy, defaults filled in.
 * @param attempt The attempt that failed, from 1.
 * @returns Milliseconds.
 *
 * @example
 * ```ts
 * import { retryDelay } from "@netscript/plugin-workers-core";
 *
 * const policy = { attempts: 5, backoff: "exponential", delay: 1000, maxDelay: 5000 } as const;
 * console.log([1, 2, 3, 4].map((n) => retryDelay(policy, n))); // [1000, 2000, 4000, 5000]
 * ```
 */
export function retryDelay(policy: ResolvedRetryPolicy, attempt: number): number {
  const delay = policy.backoff === "fixed"
    ? policy.delay
    : policy.delay * 2 ** Math.max(0, attempt - 1);
  return Math.min(delay, policy.maxDelay);
}
