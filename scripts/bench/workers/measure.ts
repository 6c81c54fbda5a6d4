/**
 * Measures one system, start to finish, in a store of its own:
 *
 * 1. a producer child creates the schema or queue and enqueues N jobs with
 *    the system's bulk API;
 * 2. P worker children start, load their system, and wait; then all are
 *    told to start at once. Throughput is N divided by the time from the first
 *    handler start to the first poll of the store (every 5 ms, once every
 *    handler has run) that finds all N jobs completed;
 * 3. with the workers idle, the producer enqueues L jobs one at a time at a
 *    fixed pace, each carrying the time enqueue was called; each handler
 *    records how long after that it started (add→start latency);
 * 4. the workers stop and report every job number they ran: each must have
 *    run exactly once, and the store must hold N + L completed jobs.
 *
 * @module
 */
import { BenchChild } from "./child_process.ts";
import type { WorkersBenchOptions } from "./options.ts";
import type { WorkerReport } from "./protocol.ts";
import { type BenchStore, openStore } from "./stores.ts";
import {
  checkRuns,
  type LatencyStats,
  latencyStats,
  percentile,
  type RunCheck,
  sumCounters,
} from "./statistics.ts";
import { clockMs, type SystemSpec } from "./system.ts";

/** One system's measurements. */
export interface SystemResult {
  /** The system's id. */
  id: string;
  /** The row label. */
  label: string;
  /** The settings used, in words. */
  settings: string;
  /** The 1-minute load average when the system's run started. */
  loadAverageAtStart: number;
  /** The bulk enqueue of the drain's jobs. */
  enqueue: { jobs: number; ms: number; jobsPerSecond: number };
  /** Draining the bulk-enqueued jobs. */
  drain: {
    jobs: number;
    ms: number;
    jobsPerSecond: number;
    /** CPU time of the worker processes per job, in µs; `null` off Linux. */
    workerCpuMicrosPerJob: number | null;
    /** Database transactions per job while draining; `null` for Deno KV. */
    dbTransactionsPerJob: number | null;
  };
  /**
   * Add→start latency of jobs enqueued one at a time with idle workers, and
   * the median time the enqueue call itself took (part of that latency).
   */
  latency: LatencyStats & { addCallP50Ms: number };
  /** Exactly-once check. */
  check: RunCheck;
  /** The largest clock offset measured between the benchmark and a child, in ms (corrected for). */
  clockOffsetMs: number;
  /** The system module's counters after the drain, summed over worker processes. */
  profile: Record<string, number>;
  /** Distinct stderr lines the children wrote besides messages (warnings), at most 10. */
  childOutput: string[];
}

const DRAIN_POLL_MS = 5;
/**
 * How long to wait after the drain before reading the transaction count: an
 * idle PostgreSQL (15+) backend that flushed its statistics less than a
 * second ago defers the next flush by up to 10 s (`PGSTAT_IDLE_INTERVAL`).
 */
const SETTLE_MS = 11_000;

/**
 * Runs one system through enqueue, drain, latency and checks.
 *
 * @param spec The system.
 * @param options The job counts and concurrency.
 * @param progress Reports what is happening.
 * @returns The measurements.
 */
export async function measureSystem(
  spec: SystemSpec,
  options: WorkersBenchOptions,
  progress: (text: string) => void,
): Promise<SystemResult> {
  const [loadAverageAtStart = 0] = Deno.loadavg();
  await using store = await openStore(spec.store);
  const children: BenchChild[] = [];
  try {
    const producer = await BenchChild.spawn(spec, { role: "producer", location: store.location });
    children.push(producer);
    await producer.request({ type: "setup" });
    progress(`enqueueing ${options.jobs.toLocaleString("en-US")} jobs in bulk`);
    const enqueueMs = await producer.request({
      type: "enqueue-bulk",
      from: 0,
      count: options.jobs,
      batch: options.batch,
    });
    const spawned = await Promise.allSettled(
      Array.from({ length: options.processes }, () =>
        BenchChild.spawn(spec, {
          role: "worker",
          location: store.location,
          concurrency: options.concurrency,
        })),
    );
    const workers = spawned.flatMap((result) =>
      result.status === "fulfilled" ? [result.value] : []
    );
    children.push(...workers);
    const failed = spawned.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const offsets = new Map<BenchChild, number>();
    for (const child of children) offsets.set(child, await _clockOffset(child));
    progress(`draining with ${options.processes} × concurrency ${options.concurrency}`);
    const { drain, profile } = await _drain(store, producer, workers, offsets, options);
    progress(`latency: ${options.latencyJobs} jobs, one every ${options.latencyIntervalMs} ms`);
    const addCalls = await producer.request({
      type: "enqueue-paced",
      from: options.jobs,
      count: options.latencyJobs,
      intervalMs: options.latencyIntervalMs,
    });
    const total = options.jobs + options.latencyJobs;
    const deadline = Date.now() + 60_000;
    await _until(() => _sum(workers, (w) => w.progress.latency) >= options.latencyJobs, deadline, [
      producer,
      ...workers,
    ], "latency jobs to run");
    await _untilCompleted(producer, total, deadline, DRAIN_POLL_MS);
    const reports = await Promise.all(workers.map((worker) => worker.stop()));
    if (reports.some((report) => !report)) throw new Error("a worker did not stop cleanly");
    const workerReports = reports as WorkerReport[];
    const counts = await producer.request({ type: "counts" });
    return {
      id: spec.id,
      label: spec.label,
      settings: spec.settings,
      loadAverageAtStart,
      enqueue: {
        jobs: options.jobs,
        ms: enqueueMs,
        jobsPerSecond: options.jobs / (enqueueMs / 1000),
      },
      drain,
      latency: {
        ...latencyStats(
          workerReports.map((report, index) => ({
            latencies: report.latencies,
            offsetMs: offsets.get(workers[index]!)! - offsets.get(producer)!,
          })),
        ),
        addCallP50Ms: percentile(addCalls.toSorted((a, b) => a - b), 50),
      },
      check: checkRuns(workerReports.map((report) => report.handled), counts, total),
      clockOffsetMs: Math.max(...[...offsets.values()].map(Math.abs)),
      profile,
      childOutput: [...new Set(children.flatMap((child) => child.otherLines))].slice(0, 10),
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

async function _drain(
  store: BenchStore,
  producer: BenchChild,
  workers: BenchChild[],
  offsets: Map<BenchChild, number>,
  options: WorkersBenchOptions,
): Promise<{ drain: SystemResult["drain"]; profile: Record<string, number> }> {
  const deadline = Date.now() + 60_000 + options.jobs * 5;
  const transactionsBefore = await store.transactions();
  const cpuBefore = await _cpuSeconds(workers);
  await Promise.all(workers.map((worker) => worker.request({ type: "start" })));
  await _until(
    () => _sum(workers, (w) => w.progress.drained) >= options.jobs,
    deadline,
    [producer, ...workers],
    "the bulk-enqueued jobs to run",
  );
  const endAt = await _untilCompleted(producer, options.jobs, deadline, DRAIN_POLL_MS);
  const cpuAfter = await _cpuSeconds(workers);
  const counters = await Promise.all(workers.map((worker) => worker.request({ type: "counters" })));
  const firstStartAt = Math.min(
    ...workers.map((worker) => (worker.progress.firstStartAt ?? Infinity) - offsets.get(worker)!),
  );
  if (transactionsBefore !== null) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const transactionsAfter = await store.transactions();
  const ms = endAt - firstStartAt;
  const drain = {
    jobs: options.jobs,
    ms,
    jobsPerSecond: options.jobs / (ms / 1000),
    workerCpuMicrosPerJob: cpuBefore === null || cpuAfter === null
      ? null
      : (cpuAfter - cpuBefore) / options.jobs * 1e6,
    dbTransactionsPerJob: transactionsBefore === null || transactionsAfter === null
      ? null
      : (transactionsAfter - transactionsBefore) / options.jobs,
  };
  return { drain, profile: sumCounters(counters) };
}

/** Polls the store until `total` jobs are completed; returns when the answer that said so arrived. */
async function _untilCompleted(
  producer: BenchChild,
  total: number,
  deadline: number,
  pollMs: number,
): Promise<number> {
  for (;;) {
    const counts = await producer.request({ type: "counts" });
    const answeredAt = clockMs();
    if (counts.completed >= total) return answeredAt;
    if (Date.now() > deadline) {
      throw new Error(
        `Only ${counts.completed} of ${total} jobs completed in time (store: ${
          JSON.stringify(counts.other)
        })`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function _until(
  done: () => boolean,
  deadline: number,
  children: BenchChild[],
  what: string,
): Promise<void> {
  while (!done()) {
    const gone = children.find((child) => child.exited);
    if (gone) throw new Error(`a child process (pid ${gone.pid}) exited while waiting for ${what}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      ...children.map((child) => child.changed()),
      new Promise((resolve) => timer = setTimeout(resolve, left)),
    ]);
    clearTimeout(timer);
  }
}

/** The child's clock minus ours, from the round trip with the smallest delay out of five. */
async function _clockOffset(child: BenchChild): Promise<number> {
  let best = { roundTrip: Infinity, offset: 0 };
  for (let sample = 0; sample < 5; sample++) {
    const sent = clockMs();
    const theirs = await child.request({ type: "clock" });
    const received = clockMs();
    if (received - sent < best.roundTrip) {
      best = { roundTrip: received - sent, offset: theirs - (sent + received) / 2 };
    }
  }
  return best.offset;
}

async function _cpuSeconds(children: BenchChild[]): Promise<number | null> {
  const seconds = await Promise.all(children.map((child) => child.cpuSeconds()));
  return seconds.some((value) => value === undefined)
    ? null
    : seconds.reduce((sum: number, value) => sum + value!, 0);
}

function _sum(children: BenchChild[], value: (child: BenchChild) => number): number {
  return children.reduce((sum, child) => sum + value(child), 0);
}
