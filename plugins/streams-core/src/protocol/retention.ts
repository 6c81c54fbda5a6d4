/**
 * Retention: dropping a stream's oldest data by age and by size while the
 * stream goes on. Whole chunks are dropped, oldest first; the stream
 * records how far it was trimmed (reads before that answer 410 Gone), and
 * nothing a live fork still reads through its source is ever dropped.
 *
 * @module
 */

import type { StreamRecord, StreamStore, StreamSummary } from "../ports/stream_store.ts";

/** How much of each stream to keep. Without a limit, nothing is dropped. */
export interface RetentionPolicy {
  /** Drop chunks committed longer ago than this many milliseconds. */
  maxAgeMs?: number;
  /** Drop the oldest chunks while a stream holds more than this many bytes. */
  maxBytes?: number;
}

/** Options of {@linkcode applyRetention}. */
export interface ApplyRetentionOptions {
  /**
   * Only trim streams whose path starts with this (forks anywhere in the
   * store still hold their sources' data).
   *
   * @default ""
   */
  prefix?: string;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default Date.now
   */
  now?: () => number;
}

/** What {@linkcode applyRetention} did. */
export interface RetentionReport {
  /** How many streams were trimmed. */
  streamsTrimmed: number;
  /** How many chunks were dropped. */
  chunksDropped: number;
}

const _PAGE = 100;
const _READ_BYTES = 1024 * 1024;

/**
 * The lowest position of each stream that its forks still read through it,
 * for the streams that have forks. A fork reads its source below its fork
 * position, from the oldest position it (or a fork of it, recursively)
 * still serves.
 *
 * @param records Every stream of the store (or at least every fork chain considered).
 * @returns Per source path, the position below which its data may go.
 */
export function retentionFloors(records: readonly StreamRecord[]): Map<string, number> {
  const forksOf = new Map<string, StreamRecord[]>();
  for (const record of records) {
    if (!record.fork) continue;
    const list = forksOf.get(record.fork.source) ?? [];
    list.push(record);
    forksOf.set(record.fork.source, list);
  }
  const needed = (record: StreamRecord): number => {
    let lowest = record.softDeleted ? Infinity : record.trimmedTo;
    for (const fork of forksOf.get(record.path) ?? []) {
      const fromFork = needed(fork);
      if (fromFork < fork.fork!.position) lowest = Math.min(lowest, fromFork);
    }
    return lowest;
  };
  const floors = new Map<string, number>();
  for (const path of forksOf.keys()) {
    let floor = Infinity;
    for (const fork of forksOf.get(path)!) {
      const fromFork = needed(fork);
      if (fromFork < fork.fork!.position) floor = Math.min(floor, fromFork);
    }
    floors.set(path, floor);
  }
  return floors;
}

async function _target(
  store: StreamStore,
  summary: StreamSummary,
  policy: RetentionPolicy,
  now: number,
): Promise<number> {
  const record = summary.record;
  const oldest = policy.maxAgeMs === undefined ? -Infinity : now - policy.maxAgeMs;
  let excess = policy.maxBytes === undefined ? 0 : summary.bytes - policy.maxBytes;
  let target = record.trimmedTo;
  let from = record.trimmedTo;
  for (;;) {
    const chunks = await store.readChunks(record.path, from, { maxBytes: _READ_BYTES });
    if (chunks.length === 0) return target;
    for (const chunk of chunks) {
      if (chunk.committedAt >= oldest && excess <= 0) return target;
      excess -= chunk.data.byteLength;
      target = chunk.end;
    }
    from = target;
  }
}

async function _trim(store: StreamStore, path: string, before: number): Promise<boolean> {
  const record = await store.get(path);
  if (!record || before <= record.trimmedTo) return false;
  return await store.commit([{
    kind: "put",
    expectedVersion: record.version,
    record: { ...record, trimmedTo: before, version: record.version + 1 },
    chunks: [],
  }]);
}

/**
 * Applies a retention policy to every stream of a store (under a prefix):
 * drops each stream's oldest chunks that are older than `maxAgeMs` or
 * beyond `maxBytes`, never below what a live fork still reads, and records
 * the new start so reads before it answer 410 Gone and `offset=-1` starts
 * at the oldest data left. A stream written to while it is trimmed is left
 * for the next run.
 *
 * @param store The store.
 * @param policy How much to keep.
 * @param options Which streams, and the clock.
 * @returns How many streams were trimmed and chunks dropped.
 *
 * @example
 * ```ts
 * import { applyRetention } from "@netscript/plugin-streams-core";
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 *
 * const store = await createMemoryStreamStore();
 * const report = await applyRetention(store, { maxAgeMs: 7 * 24 * 3600_000, maxBytes: 64 * 1024 * 1024 });
 * console.log(report); // { streamsTrimmed: 0, chunksDropped: 0 }
 * await store.close();
 * ```
 */
export async function applyRetention(
  store: StreamStore,
  policy: RetentionPolicy,
  options: ApplyRetentionOptions = {},
): Promise<RetentionReport> {
  const now = (options.now ?? Date.now)();
  const summaries: StreamSummary[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.list({ ...(after === undefined ? {} : { after }), limit: _PAGE });
    summaries.push(...page);
    if (page.length < _PAGE) break;
    after = page.at(-1)!.record.path;
  }
  const floors = retentionFloors(summaries.map((summary) => summary.record));
  const report: RetentionReport = { streamsTrimmed: 0, chunksDropped: 0 };
  if (policy.maxAgeMs === undefined && policy.maxBytes === undefined) return report;
  const prefix = options.prefix ?? "";
  for (const summary of summaries) {
    if (!summary.record.path.startsWith(prefix)) continue;
    const target = Math.min(
      await _target(store, summary, policy, now),
      floors.get(summary.record.path) ?? Infinity,
    );
    if (!(await _trim(store, summary.record.path, target))) continue;
    report.streamsTrimmed++;
    report.chunksDropped += await store.dropChunks(summary.record.path, target);
  }
  return report;
}
