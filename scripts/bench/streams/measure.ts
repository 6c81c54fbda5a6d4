/**
 * One round of `deno task bench:streams` against one system: start it with
 * a fresh store, warm it up, run the four workloads, each on a stream of
 * its own, and stop it.
 *
 * @module
 */
import type { StreamsBenchOptions } from "./options.ts";
import { startSystem, type System } from "./servers.ts";
import {
  type AppendResult,
  createStream,
  fillStream,
  type LatencyResult,
  measureAppends,
  measureCatchUpRead,
  measureSseLatency,
  type ReadResult,
} from "./workloads.ts";

/** What one system measured. */
export interface SystemResult {
  /** The system's id. */
  readonly id: string;
  /** Its name in the report. */
  readonly label: string;
  /** One record per request. */
  readonly single: AppendResult;
  /** `batch` records per request. */
  readonly batched: AppendResult;
  /** The stream read from the start (median of three reads). */
  readonly read: ReadResult;
  /** Append→SSE delivery. */
  readonly latency: LatencyResult;
}

/** Reads of the catch-up stream per round; the median is kept. */
const READS = 3;

/**
 * Measures one system once.
 *
 * @param system The system.
 * @param options The workload sizes.
 * @param progress Reports what is being measured.
 * @returns The figures.
 */
export async function measureSystem(
  system: System,
  options: StreamsBenchOptions,
  progress: (text: string) => void,
): Promise<SystemResult> {
  progress("starting");
  await using running = await startSystem(system);
  const stream = async (name: string) => {
    const url = `${running.streams}${name}`;
    await createStream(url);
    return url;
  };
  progress("warming up");
  const warm = await stream("warm-up");
  await measureAppends(warm, {
    writers: options.writers,
    requestsPerWriter: 100,
    recordsPerRequest: 1,
  });
  await measureAppends(warm, {
    writers: options.writers,
    requestsPerWriter: 10,
    recordsPerRequest: options.batch,
  });
  await measureSseLatency(await stream("warm-up-sse"), 50);
  progress("single-record appends");
  const single = await measureAppends(await stream("single"), {
    writers: options.writers,
    requestsPerWriter: options.singleRequests,
    recordsPerRequest: 1,
  });
  progress("batched appends");
  const batched = await measureAppends(await stream("batched"), {
    writers: options.writers,
    requestsPerWriter: options.batchedRequests,
    recordsPerRequest: options.batch,
  });
  progress(`filling ${options.readMib} MiB to read`);
  const readUrl = await stream("catch-up");
  const records = await fillStream(readUrl, options.readMib);
  progress("catch-up reads");
  const reads: ReadResult[] = [];
  for (let i = 0; i < READS; i++) reads.push(await measureCatchUpRead(readUrl, records * 1_000));
  reads.sort((a, b) => a.megabytesPerSecond - b.megabytesPerSecond);
  progress("append→SSE latency");
  const latency = await measureSseLatency(await stream("sse"), options.latencyRecords);
  return {
    id: system.id,
    label: system.label,
    single,
    batched,
    read: reads[Math.floor(READS / 2)]!,
    latency,
  };
}
