/**
 * Reading a run of a stream's positions, across fork boundaries: a fork's
 * positions below its fork position come from its source (recursively),
 * the rest from its own chunks. Chunks are cut where the range starts or
 * ends inside them, at byte or message boundaries.
 *
 * @module
 */

import type { StreamChunk, StreamRecord } from "../ports/stream_store.ts";
import type { ProtocolContext } from "./context.ts";
import { isJsonContentType } from "./content_type.ts";
import { decodeJsonChunk, encodeJsonChunk } from "./json_messages.ts";

/** A run of positions and its data, in the stored chunk format. */
export interface StreamSlice {
  /** The first position. */
  start: number;
  /** One past the last position. */
  end: number;
  /** The bytes; for a JSON stream, the text of a JSON array of the messages. */
  data: Uint8Array;
}

/**
 * Cuts a chunk down to the positions `[from, to)`.
 *
 * @param chunk The stored chunk.
 * @param from The first position wanted.
 * @param to One past the last position wanted.
 * @param json Whether positions count JSON messages.
 * @returns The slice covering what the chunk holds of that range.
 */
export function sliceChunk(
  chunk: StreamChunk,
  from: number,
  to: number,
  json: boolean,
): StreamSlice {
  const start = Math.max(chunk.start, from);
  const end = Math.min(chunk.end, to);
  if (start === chunk.start && end === chunk.end) {
    return { start, end, data: chunk.data };
  }
  if (!json) {
    return { start, end, data: chunk.data.subarray(start - chunk.start, end - chunk.start) };
  }
  const messages = decodeJsonChunk(chunk.data).slice(start - chunk.start, end - chunk.start);
  return { start, end, data: encodeJsonChunk(messages) };
}

/**
 * Reads a stream's data from `from` up to `to`, stitching a fork's
 * inherited positions from its sources. Stops early once about `maxBytes`
 * are collected; the first slice is always returned (a byte stream's is
 * cut to `maxBytes`).
 *
 * @param context The protocol context.
 * @param record The stream.
 * @param from The first position.
 * @param to One past the last position; at most the stream's tail.
 * @param maxBytes About how many bytes to return.
 * @returns Contiguous slices from `from`; empty when `from >= to`.
 */
export async function readRange(
  context: ProtocolContext,
  record: StreamRecord,
  from: number,
  to: number,
  maxBytes: number,
): Promise<StreamSlice[]> {
  const slices: StreamSlice[] = [];
  let position = from;
  let budget = Math.max(1, maxBytes);
  if (record.fork && position < record.fork.position && position < to) {
    const source = await context.store.get(record.fork.source);
    if (!source) {
      throw new Error(
        `Stream "${record.path}" is a fork of "${record.fork.source}", whose data is missing from the store`,
      );
    }
    const inherited = await readRange(
      context,
      source,
      position,
      Math.min(to, record.fork.position),
      budget,
    );
    for (const slice of inherited) {
      slices.push(slice);
      budget -= slice.data.byteLength;
      position = slice.end;
    }
    if (position < Math.min(to, record.fork.position) || budget <= 0) return slices;
  }
  if (position >= to) return slices;
  const json = isJsonContentType(record.contentType);
  const chunks = await context.store.readChunks(record.path, position, { maxBytes: budget });
  for (const chunk of chunks) {
    if (chunk.start >= to || budget <= 0) break;
    let slice = sliceChunk(chunk, position, to, json);
    if (slice.data.byteLength > budget) {
      if (slices.length > 0) break;
      if (!json) {
        slice = {
          start: slice.start,
          end: slice.start + budget,
          data: slice.data.subarray(0, budget),
        };
      }
    }
    slices.push(slice);
    budget -= slice.data.byteLength;
    position = slice.end;
  }
  return slices;
}

/**
 * The end of the append that holds a position: where the chunk covering
 * `position` ends (cut at a fork position when inherited), or `position`
 * itself at the tail.
 *
 * @param context The protocol context.
 * @param record The stream.
 * @param position A position below or at the tail.
 * @returns The next data boundary after `position`.
 */
export async function nextBoundary(
  context: ProtocolContext,
  record: StreamRecord,
  position: number,
): Promise<number> {
  if (record.fork && position < record.fork.position) {
    const source = await context.store.get(record.fork.source);
    if (!source) return position;
    return Math.min(record.fork.position, await nextBoundary(context, source, position));
  }
  const [chunk] = await context.store.readChunks(record.path, position, { maxBytes: 1 });
  return chunk && chunk.start <= position ? chunk.end : position;
}

/**
 * Joins slices into a response body: the bytes in order, or for a JSON
 * stream one JSON array of all their messages.
 *
 * @param slices Contiguous slices.
 * @param json Whether the stream is a JSON stream.
 * @returns The body.
 */
export function joinSlices(slices: readonly StreamSlice[], json: boolean): Uint8Array<ArrayBuffer> {
  const parts = json
    ? slices.map((slice) => _jsonArrayInner(slice.data)).filter((part) => part.byteLength > 0)
    : slices.map((slice) => slice.data);
  const separators = json ? 2 + Math.max(0, parts.length - 1) : 0;
  const size = parts.reduce((sum, part) => sum + part.byteLength, separators);
  const body = new Uint8Array(size);
  let offset = 0;
  if (json) body[offset++] = _OPEN_BRACKET;
  for (const [index, part] of parts.entries()) {
    if (json && index > 0) body[offset++] = _COMMA;
    body.set(part, offset);
    offset += part.byteLength;
  }
  if (json) body[offset++] = _CLOSE_BRACKET;
  return body;
}

const _OPEN_BRACKET = 0x5b;
const _CLOSE_BRACKET = 0x5d;
const _COMMA = 0x2c;

/**
 * The bytes between the brackets of a stored JSON chunk (the text of a
 * JSON array), without the whitespace around them; joining them as bytes
 * spares decoding and re-encoding every read.
 */
function _jsonArrayInner(data: Uint8Array): Uint8Array {
  let start = 0;
  let end = data.byteLength;
  while (start < end && _isJsonSpace(data[start]!)) start++;
  while (end > start && _isJsonSpace(data[end - 1]!)) end--;
  start++;
  end--;
  while (start < end && _isJsonSpace(data[start]!)) start++;
  while (end > start && _isJsonSpace(data[end - 1]!)) end--;
  return data.subarray(start, Math.max(start, end));
}

function _isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
