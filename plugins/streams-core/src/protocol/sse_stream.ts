/**
 * An SSE live read: catch-up data from the offset, then every new append,
 * each `data` event followed by its `control` event; ends after the
 * closing `control` of a closed stream, after `maxDurationMs`, when the
 * stream is deleted or expires, or when the client goes away.
 *
 * @module
 */

import { isNetScriptError } from "@netscript/contracts/errors";
import type { StreamRecord } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import type { ProtocolContext } from "./context.ts";
import { isJsonContentType, isTextContentType } from "./content_type.ts";
import { nextCursor } from "./cursor.ts";
import { encodeOffset, type RequestedOffset } from "./offsets.ts";
import { joinSlices } from "./read_range.ts";
import { openForRead, readFrom, resolvePosition } from "./read_stream.ts";
import {
  type ControlEvent,
  encodeBase64,
  formatControlEvent,
  formatDataEvent,
} from "./sse_events.ts";
import { loadLiveStream } from "./stream_lifecycle.ts";

function _ended(error: unknown): boolean {
  return isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_NOT_FOUND") ||
    isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_GONE");
}

/** One SSE read. */
export interface SseRequest {
  /** The stream's path. */
  path: string;
  /** Where to start. */
  offset: RequestedOffset;
  /** The `cursor` the client echoed, or `null`. */
  cursor: string | null;
  /** About how many bytes one data event carries at most. */
  maxBytes: number;
  /** How long the connection stays open. */
  maxDurationMs: number;
  /** The client's abort signal. */
  signal?: AbortSignal;
}

/** An opened SSE read. */
export interface SseStream {
  /** The stream when the read began. */
  record: StreamRecord;
  /** Whether data events carry base64 (binary streams). */
  base64: boolean;
  /** The event stream's bytes. */
  body: ReadableStream<Uint8Array>;
}

/**
 * Opens an SSE read: checks the stream and the offset at once (so errors
 * are plain HTTP errors), then streams events.
 *
 * @param context The protocol context.
 * @param request The read.
 * @returns The stream's record, the encoding, and the event stream.
 */
export async function openSseStream(
  context: ProtocolContext,
  request: SseRequest,
): Promise<SseStream> {
  const first = await openForRead(context, request.path);
  const start = resolvePosition(first, request.offset);
  const base64 = !isTextContentType(first.contentType);
  const stop = new AbortController();
  request.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const events = _events(context, request, first, start, stop.signal);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (stop.signal.aborted) return;
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      stop.abort();
      await events.return(undefined);
    },
  });
  return { record: first, base64, body };
}

/**
 * The events of an SSE read, produced one batch at a time as the client
 * takes them: a `data` event and its `control` event per read, a lone
 * `control` when the reader is caught up, then waits for new commits.
 */
async function* _events(
  context: ProtocolContext,
  request: SseRequest,
  first: StreamRecord,
  start: number,
  stop: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  const json = isJsonContentType(first.contentType);
  const base64 = !isTextContentType(first.contentType);
  const decoder = new TextDecoder();
  const deadline = context.now() + request.maxDurationMs;
  const control = (end: number, upToDate: boolean, closed: boolean): ControlEvent => ({
    streamNextOffset: encodeOffset(end),
    ...(closed
      ? { streamClosed: true as const }
      : { streamCursor: nextCursor(request.cursor, context.now()) }),
    ...(upToDate ? { upToDate: true as const } : {}),
  });
  let record = first;
  let position = start;
  let sentControl = false;
  while (!stop.aborted) {
    if (position < record.tail) {
      const read = await readFrom(context, record, position, request.maxBytes);
      const data = joinSlices(read.slices, json);
      const payload = base64 ? encodeBase64(data) : decoder.decode(data, { stream: !json });
      yield formatDataEvent(payload) +
        formatControlEvent(control(read.end, read.upToDate, read.closedAtEnd));
      sentControl = true;
      position = read.end;
      if (read.closedAtEnd) return;
      continue;
    }
    if (record.closed) {
      yield formatControlEvent(control(position, true, true));
      return;
    }
    if (!sentControl) {
      yield formatControlEvent(control(position, true, false));
      sentControl = true;
    }
    const remaining = deadline - context.now();
    if (remaining <= 0) return;
    await context.store.waitForChange(request.path, record.version, {
      timeoutMs: remaining,
      signal: stop,
    });
    if (stop.aborted) return;
    const current = await loadLiveStream(context, request.path).catch((error) => {
      if (_ended(error)) return undefined;
      throw error;
    });
    if (!current) return;
    record = current;
  }
}
