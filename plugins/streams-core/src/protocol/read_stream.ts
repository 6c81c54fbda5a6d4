/**
 * Reading a stream (the protocol's `GET`): resolving the requested offset,
 * catch-up reads in bounded slices, and the long-poll wait for new data.
 * Reads reset a sliding TTL; they never change the stream's version.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamRecord } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import type { ProtocolContext } from "./context.ts";
import type { RequestedOffset } from "./offsets.ts";
import { readRange, type StreamSlice } from "./read_range.ts";
import { loadLiveStream } from "./stream_lifecycle.ts";

/** One read. */
export interface ReadRequest {
  /** The stream's path. */
  path: string;
  /** Where to start. */
  offset: RequestedOffset;
  /** About how many bytes to return at most. */
  maxBytes: number;
}

/** What a read returned. */
export interface ReadResult {
  /** The stream when the read was made. */
  record: StreamRecord;
  /** The position the read started at. */
  start: number;
  /** One past the last position returned: the next offset to read. */
  end: number;
  /** The data, in order; empty when nothing follows `start`. */
  slices: StreamSlice[];
  /** Whether `end` is the stream's tail. */
  upToDate: boolean;
  /** Whether the stream is closed and `end` is its final position (EOF). */
  closedAtEnd: boolean;
}

/**
 * Resolves a requested offset to a position of a stream.
 *
 * @param record The stream.
 * @param offset The requested offset.
 * @returns The position: the oldest kept one for `-1`, the tail for `now`.
 * @throws {NetScriptError} `STREAMS_INVALID_OFFSET` past the tail, `STREAMS_OFFSET_GONE` before what retention kept.
 */
export function resolvePosition(record: StreamRecord, offset: RequestedOffset): number {
  if (offset.kind === "start") return record.trimmedTo;
  if (offset.kind === "now") return record.tail;
  if (offset.position > record.tail) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_OFFSET",
      `Cannot read stream "${record.path}" at position ${offset.position}: it ends at ${record.tail}; use an offset it returned`,
      { details: { path: record.path, position: offset.position, tail: record.tail } },
    );
  }
  if (offset.position < record.trimmedTo) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_OFFSET_GONE",
      `Cannot read stream "${record.path}" at position ${offset.position}: retention dropped the data before ${record.trimmedTo}; read from offset -1`,
      { details: { path: record.path, position: offset.position, trimmedTo: record.trimmedTo } },
    );
  }
  return offset.position;
}

/**
 * Loads a stream for reading and resets its sliding TTL.
 *
 * @param context The protocol context.
 * @param path The stream's path.
 * @returns The stream.
 */
export async function openForRead(context: ProtocolContext, path: string): Promise<StreamRecord> {
  const record = await loadLiveStream(context, path);
  if (record.ttlSeconds !== null) await context.store.touch(path, context.now());
  return record;
}

/**
 * Reads what a stream holds from a position, up to about `maxBytes`.
 *
 * @param context The protocol context.
 * @param record The stream, as loaded.
 * @param start The first position.
 * @param maxBytes About how many bytes to return at most.
 * @returns The read.
 */
export async function readFrom(
  context: ProtocolContext,
  record: StreamRecord,
  start: number,
  maxBytes: number,
): Promise<ReadResult> {
  const slices = start < record.tail
    ? await readRange(context, record, start, record.tail, maxBytes)
    : [];
  const end = slices.at(-1)?.end ?? start;
  const upToDate = end >= record.tail;
  return { record, start, end, slices, upToDate, closedAtEnd: upToDate && record.closed };
}

/**
 * A catch-up read: what the stream holds from the requested offset.
 *
 * @param context The protocol context.
 * @param request The read.
 * @returns The read.
 * @throws {NetScriptError} `STREAMS_NOT_FOUND`, `STREAMS_GONE`, `STREAMS_INVALID_OFFSET` or `STREAMS_OFFSET_GONE`.
 */
export async function readStream(
  context: ProtocolContext,
  request: ReadRequest,
): Promise<ReadResult> {
  const record = await openForRead(context, request.path);
  return await readFrom(context, record, resolvePosition(record, request.offset), request.maxBytes);
}

/**
 * A long-poll read: returns at once when data follows the offset or the
 * stream is closed at it; otherwise waits for the stream's own appends
 * (not its fork source's) up to `timeoutMs`.
 *
 * @param context The protocol context.
 * @param request The read, with the longest wait and the client's abort signal.
 * @returns The read; no slices when the wait timed out or the stream closed at the offset.
 */
export async function longPollStream(
  context: ProtocolContext,
  request: ReadRequest & { timeoutMs: number; signal?: AbortSignal },
): Promise<ReadResult> {
  let record = await openForRead(context, request.path);
  const start = resolvePosition(record, request.offset);
  const deadline = context.now() + request.timeoutMs;
  while (record.tail <= start && !record.closed && !request.signal?.aborted) {
    const remaining = deadline - context.now();
    if (remaining <= 0) break;
    const options = request.signal
      ? { timeoutMs: remaining, signal: request.signal }
      : { timeoutMs: remaining };
    await context.store.waitForChange(request.path, record.version, options);
    record = await loadLiveStream(context, request.path);
  }
  return await readFrom(context, record, start, request.maxBytes);
}
