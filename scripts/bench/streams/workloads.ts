/**
 * The four measurements of `deno task bench:streams`, made the same way
 * against every server over plain HTTP from the benchmark process:
 *
 * - appends: W writers each send R requests of B JSON records to one
 *   stream, each waiting for its answer before the next → records/s;
 * - catch-up read: a stream of about M MiB (1 KiB records) read from the
 *   start, following `Stream-Next-Offset` until `Stream-Up-To-Date` →
 *   MB/s of response body;
 * - append→SSE latency: one reader on `live=sse` at the tail, one writer
 *   appending one record at a time, each after the previous one arrived →
 *   the time from sending the append to the record's arrival, p50/p99.
 *
 * @module
 */
import { openSseReader } from "./sse_reader.ts";

/** Throughput of an append workload. */
export interface AppendResult {
  /** Records appended. */
  readonly records: number;
  /** Records appended per second. */
  readonly recordsPerSecond: number;
}

/** Throughput of a catch-up read. */
export interface ReadResult {
  /** Response body bytes read. */
  readonly bytes: number;
  /** Requests it took. */
  readonly requests: number;
  /** Decimal megabytes of body per second. */
  readonly megabytesPerSecond: number;
}

/** Append→SSE delivery latency. */
export interface LatencyResult {
  /** Records timed. */
  readonly records: number;
  /** Median, in milliseconds. */
  readonly p50Ms: number;
  /** 99th percentile, in milliseconds. */
  readonly p99Ms: number;
}

/** The shape of an append workload. */
export interface AppendShape {
  /** Concurrent writers. */
  readonly writers: number;
  /** Requests per writer. */
  readonly requestsPerWriter: number;
  /** Records per request. */
  readonly recordsPerRequest: number;
}

const JSON_TYPE = { "content-type": "application/json" };
/** About 100 bytes of JSON per small record. */
const SMALL_PAD = "x".repeat(64);
/** About 1 KiB of JSON per record of the read stream. */
const LARGE_PAD = "y".repeat(1_000);

/**
 * Creates a JSON stream.
 *
 * @param url The stream's URL.
 */
export async function createStream(url: string): Promise<void> {
  const response = await fetch(url, { method: "PUT", headers: JSON_TYPE });
  await _expect(response, [200, 201], `PUT ${url}`);
}

/**
 * Appends records from concurrent writers and times the whole run.
 *
 * @param url The stream's URL (created already).
 * @param shape Writers, requests and records per request.
 * @returns The throughput.
 */
export async function measureAppends(url: string, shape: AppendShape): Promise<AppendResult> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: shape.writers }, async (_, writer) => {
      for (let r = 0; r < shape.requestsPerWriter; r++) {
        const records = Array.from(
          { length: shape.recordsPerRequest },
          (_, k) => ({ writer, n: r * shape.recordsPerRequest + k, pad: SMALL_PAD }),
        );
        await _append(url, JSON.stringify(records));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const records = shape.writers * shape.requestsPerWriter * shape.recordsPerRequest;
  return { records, recordsPerSecond: records / seconds };
}

/**
 * Fills a stream with about `mebibytes` MiB of 1 KiB records, 256 per request.
 *
 * @param url The stream's URL (created already).
 * @param mebibytes How much.
 * @returns The number of records written.
 */
export async function fillStream(url: string, mebibytes: number): Promise<number> {
  const records = mebibytes * 1024;
  const perRequest = 256;
  for (let n = 0; n < records; n += perRequest) {
    const batch = Array.from({ length: Math.min(perRequest, records - n) }, (_, k) => ({
      n: n + k,
      pad: LARGE_PAD,
    }));
    await _append(url, JSON.stringify(batch));
  }
  return records;
}

/**
 * Reads a stream from the start to its tail.
 *
 * @param url The stream's URL.
 * @param minimumBytes The least body it must have read, to catch a short read.
 * @returns The throughput.
 */
export async function measureCatchUpRead(url: string, minimumBytes: number): Promise<ReadResult> {
  const started = performance.now();
  let offset = "-1";
  let bytes = 0;
  let requests = 0;
  for (;;) {
    const response = await fetch(`${url}?offset=${encodeURIComponent(offset)}`);
    requests++;
    if (response.status !== 200) await _expect(response, [200], `GET ${url}?offset=${offset}`);
    bytes += (await response.arrayBuffer()).byteLength;
    const next = response.headers.get("stream-next-offset");
    if (next === null) throw new Error(`GET ${url} answered without Stream-Next-Offset`);
    if (response.headers.get("stream-up-to-date") === "true") break;
    offset = next;
  }
  const seconds = (performance.now() - started) / 1000;
  if (bytes < minimumBytes) {
    throw new Error(
      `Reading ${url} returned ${bytes} bytes; at least ${minimumBytes} were written`,
    );
  }
  return { bytes, requests, megabytesPerSecond: bytes / 1e6 / seconds };
}

/**
 * Times append→SSE delivery of `records` records appended one at a time.
 *
 * @param url The stream's URL (created already, empty).
 * @param records How many records to time.
 * @returns The latency percentiles.
 */
export async function measureSseLatency(url: string, records: number): Promise<LatencyResult> {
  const reader = await openSseReader(url);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < records; i++) {
      const sent = performance.now();
      await _append(url, JSON.stringify([{ i, sent }]));
      latencies.push(await reader.arrival(i) - sent);
    }
  } finally {
    await reader.close();
  }
  latencies.sort((a, b) => a - b);
  return { records, p50Ms: _percentile(latencies, 0.5), p99Ms: _percentile(latencies, 0.99) };
}

async function _append(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: JSON_TYPE, body });
  await _expect(response, [200, 204], `POST ${url}`);
}

async function _expect(response: Response, statuses: number[], what: string): Promise<void> {
  const text = await response.text();
  if (!statuses.includes(response.status)) {
    throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

function _percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? NaN;
}
