/**
 * How the benchmark talks to its child processes. Requests go to a child's
 * stdin as one JSON object a line; the child answers on stderr, one JSON
 * object a line behind {@linkcode MESSAGE_PREFIX}, so its libraries'
 * own stderr lines pass through untouched. A child's stdout (where the job
 * systems write their per-job log lines) is discarded.
 *
 * @module
 */
import type { StoreCounts } from "./system.ts";

/** Marks a stderr line as a message to the benchmark. */
export const MESSAGE_PREFIX = "@@workers-bench@@ ";

/** What the benchmark asks a child to do. */
export type Command =
  /** Answer with the child's {@linkcode clockMs}. */
  | { type: "clock" }
  /** Producer: create the schema or queue. */
  | { type: "setup" }
  /** Producer: enqueue jobs `from` … `from + count - 1`, `batch` per bulk call; answers with the ms taken. */
  | { type: "enqueue-bulk"; from: number; count: number; batch: number }
  /** Producer: enqueue jobs one at a time, one every `intervalMs`; answers with each call's ms. */
  | { type: "enqueue-paced"; from: number; count: number; intervalMs: number }
  /** Producer: answer with the store's {@linkcode StoreCounts}. */
  | { type: "counts" }
  /** Worker: start claiming jobs. */
  | { type: "start" }
  /** Worker: answer with the system module's counters. */
  | { type: "counters" }
  /** Either: stop (workers answer with a {@linkcode WorkerReport}) and exit. */
  | { type: "stop" };

/** A request as written to a child's stdin. */
export interface Request {
  /** Matches the reply. */
  id: number;
  /** What to do. */
  command: Command;
}

/** What a worker child saw, sent when it stops. */
export interface WorkerReport {
  /** The number of every job whose handler ran, once per run. */
  handled: number[];
  /** `[job number, ms from enqueue to handler start]` for each latency job, uncorrected. */
  latencies: [number, number][];
  /** The system module's counters at the end. */
  counters: Record<string, number>;
}

/** A worker child's running totals, sent every {@linkcode PROGRESS_INTERVAL_MS} while they change. */
export interface Progress {
  /** Drain jobs whose handler ran. */
  drained: number;
  /** Latency jobs whose handler ran. */
  latency: number;
  /** When the first drain job's handler started, on the child's clock. */
  firstStartAt: number | null;
}

/** How often a worker child reports progress while it changes. */
export const PROGRESS_INTERVAL_MS = 20;

/** What a child writes to the benchmark. */
export type ChildMessage =
  | { kind: "ready" }
  | { kind: "progress"; progress: Progress }
  | { kind: "reply"; id: number; ok: true; value: unknown }
  | { kind: "reply"; id: number; ok: false; error: string };

/** The answer types of the commands that have one. */
export interface Replies {
  clock: number;
  setup: null;
  "enqueue-bulk": number;
  "enqueue-paced": number[];
  counts: StoreCounts;
  start: null;
  counters: Record<string, number>;
  stop: WorkerReport | null;
}

/**
 * Splits a byte stream into lines of text.
 *
 * @param stream The stream.
 * @returns The lines, without their line breaks.
 */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
  if (buffered !== "") yield buffered;
}
