/**
 * The arithmetic of the workers benchmark: latency percentiles, the
 * exactly-once check over every worker's list of handled jobs, and summed
 * counters.
 *
 * @module
 */
import type { StoreCounts } from "./system.ts";

/** Add→start latency statistics, in milliseconds. */
export interface LatencyStats {
  /** Samples. */
  jobs: number;
  /** Median. */
  p50Ms: number;
  /** 99th percentile. */
  p99Ms: number;
  /** Slowest. */
  maxMs: number;
  /** Mean. */
  meanMs: number;
}

/** What the exactly-once check found. */
export interface RunCheck {
  /** Every job's handler ran exactly once. */
  exactlyOnce: boolean;
  /** Jobs whose handler never ran. */
  missing: number;
  /** Handler runs beyond the first, over all jobs (and runs of unknown jobs). */
  repeated: number;
  /** The store's counts at the end. */
  store: StoreCounts;
  /** The store holds exactly the expected completed jobs and nothing else. */
  storeAgrees: boolean;
}

/**
 * The nearest-rank percentile of sorted samples.
 *
 * @param sorted The samples, ascending.
 * @param p The percentile, 0 < p ≤ 100.
 * @returns The sample at that rank, or `NaN` when there are none.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)]!;
}

/**
 * Latency statistics over every worker's samples, each corrected by its
 * worker's clock offset from the producer.
 *
 * @param workers Per worker: `[job number, ms]` samples on its clock, and
 * its clock minus the producer's.
 * @returns The statistics.
 */
export function latencyStats(
  workers: readonly { latencies: readonly [number, number][]; offsetMs: number }[],
): LatencyStats {
  const samples = workers.flatMap(({ latencies, offsetMs }) =>
    latencies.map(([, ms]) => ms - offsetMs)
  ).sort((a, b) => a - b);
  return {
    jobs: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: samples.at(-1) ?? NaN,
    meanMs: samples.reduce((sum, ms) => sum + ms, 0) / samples.length,
  };
}

/**
 * Checks that jobs 0 … total-1 each ran exactly once and that the store
 * agrees.
 *
 * @param handled Per worker, the number of every job whose handler ran, once per run.
 * @param store The store's counts.
 * @param total How many jobs were enqueued.
 * @returns What the check found.
 */
export function checkRuns(
  handled: readonly (readonly number[])[],
  store: StoreCounts,
  total: number,
): RunCheck {
  const runs = new Uint32Array(total);
  let repeated = 0;
  for (const i of handled.flat()) {
    if (i < 0 || i >= total || runs[i]! > 0) repeated++;
    if (i >= 0 && i < total) runs[i]!++;
  }
  const missing = runs.filter((count) => count === 0).length;
  return {
    exactlyOnce: missing === 0 && repeated === 0,
    missing,
    repeated,
    store,
    storeAgrees: store.completed === total && Object.keys(store.other).length === 0,
  };
}

/**
 * Adds up counters by name.
 *
 * @param all Counter sets, e.g. one per worker process.
 * @returns The sums.
 */
export function sumCounters(all: readonly Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const counters of all) {
    for (const [name, value] of Object.entries(counters)) sum[name] = (sum[name] ?? 0) + value;
  }
  return sum;
}
