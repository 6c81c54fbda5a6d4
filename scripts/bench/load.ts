/**
 * Drives the fixed load at one server with autocannon, used
 * programmatically in this process. Latency percentiles come from each
 * response's own timing (autocannon's `response` event), because
 * autocannon's built-in histogram rounds to whole milliseconds and the
 * fast targets answer in well under one.
 *
 * @module
 */
import { AUTOCANNON, loadBenchPackage } from "./bench_packages.ts";
import { PING_BODY } from "./workload.ts";

/** The load shape of one run. */
export interface LoadOptions {
  /** Concurrent keep-alive connections. */
  connections: number;
  /** Seconds of load. */
  durationSeconds: number;
  /** Headers every request carries besides its content type (the guarded row's cookie). */
  headers?: Record<string, string>;
}

/** What one run measured. */
export interface LoadResult {
  /** Mean responses per second over the run. */
  requestsPerSecond: number;
  /** Median latency of 2xx responses, in milliseconds. */
  latencyP50Ms: number;
  /** 99th-percentile latency of 2xx responses, in milliseconds. */
  latencyP99Ms: number;
  /** Responses received, any status. */
  responses: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

/** The subset of autocannon's programmatic API used here. */
export type Autocannon = (
  options: Record<string, unknown>,
  done: (error: unknown, result: AutocannonResult) => void,
) => { on(event: "response", listener: ResponseListener): void };

type ResponseListener = (client: unknown, status: number, bytes: number, ms: number) => void;

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/** The version pinned in `bench_packages.ts`, for the report. */
export const AUTOCANNON_VERSION: string = AUTOCANNON.slice(AUTOCANNON.lastIndexOf("@") + 1);

/**
 * Loads autocannon, failing with a clear message when it cannot be.
 *
 * @returns autocannon's run function.
 */
export async function loadAutocannon(): Promise<Autocannon> {
  try {
    return (await loadBenchPackage<{ default: Autocannon }>(AUTOCANNON)).default;
  } catch (error) {
    throw new Error(
      `Cannot load the load generator ${AUTOCANNON}; make sure the npm registry is reachable or the package is cached, then run again`,
      { cause: error },
    );
  }
}

/**
 * Sends the ping request over a fixed number of connections for a fixed time.
 *
 * @param autocannon The load generator.
 * @param url The ping URL.
 * @param options Connections and duration.
 * @returns Throughput, latency percentiles and failure counts.
 */
export function runLoad(
  autocannon: Autocannon,
  url: URL,
  options: LoadOptions,
): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const run = autocannon({
      url: url.href,
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: PING_BODY,
      connections: options.connections,
      duration: options.durationSeconds,
    }, (error, result) => {
      if (error) return reject(error);
      const sorted = Float64Array.from(latencies).sort();
      resolve({
        requestsPerSecond: result.requests.average,
        latencyP50Ms: percentile(sorted, 0.5),
        latencyP99Ms: percentile(sorted, 0.99),
        responses: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
    run.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

/**
 * The value at a quantile of sorted values (nearest rank).
 *
 * @param sorted The values, in ascending order.
 * @param quantile Between 0 and 1, e.g. 0.99.
 * @returns The value, or `NaN` when there are none.
 */
export function percentile(sorted: Float64Array, quantile: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
  return sorted[index] ?? Number.NaN;
}
