/**
 * A stream's tail for `GET /api/topics/{name}/tail`: its newest appends,
 * found by reading ever wider windows back from the tail, and a short
 * preview of each. It reads through the store port alone (`readChunks`),
 * so it does not count as a read for a sliding TTL.
 *
 * @module
 */
import {
  encodeOffset,
  isTextContentType,
  type StreamChunk,
  type StreamRecord,
  type StreamStore,
} from "@netscript/plugin-streams-core";
import type { z } from "zod";
import type { AppendPreviewSchema } from "../../contracts/v1/mod.ts";

/**
 * The most one read of a tail takes from the store, in bytes. A window that
 * holds more stops the search: the appends older than the last window that
 * fitted are left out. The newest append is always listed, whatever its size.
 */
export const TAIL_READ_BYTES = 1024 * 1024;

/**
 * Reads a stream's newest appends: the last `limit` chunks below its tail,
 * oldest first. The window starts at the newest position and doubles (at
 * least the span it covered) until it holds `limit` chunks, reaches the
 * oldest position retention kept, or holds more than
 * {@linkcode TAIL_READ_BYTES}. A fork's own positions start at its fork
 * position, so its tail lists the appends made to it since then.
 *
 * @param store The stream store.
 * @param record The stream, as read just before.
 * @param limit How many appends at most, at least 1.
 * @returns Up to `limit` chunks, the newest last; empty when retention left none.
 */
export async function readTopicTail(
  store: StreamStore,
  record: StreamRecord,
  limit: number,
): Promise<StreamChunk[]> {
  const floor = Math.max(record.trimmedTo, record.fork?.position ?? 0);
  if (floor >= record.tail) return [];
  let newest: StreamChunk[] = [];
  for (let window = 1;;) {
    const from = Math.max(floor, record.tail - window);
    const chunks = (await store.readChunks(record.path, from, { maxBytes: TAIL_READ_BYTES }))
      .filter((chunk) => chunk.start < record.tail);
    const last = chunks.at(-1);
    if (last !== undefined && last.end < record.tail) return newest.slice(-limit);
    newest = chunks;
    if (chunks.length >= limit || from === floor) return newest.slice(-limit);
    window = 2 * Math.max(window, record.tail - (chunks[0]?.start ?? record.tail));
  }
}

/**
 * Describes one append for the tail: its offset, commit time, size in
 * positions, and a preview of its data. For a text or JSON stream the
 * preview is the append's text (for JSON, the array of its messages), cut
 * to 500 characters with "…" when longer; for any other content type it
 * is `<N bytes>`.
 *
 * @param chunk The stored append.
 * @param contentType The stream's content type.
 * @returns The append as `GET /api/topics/{name}/tail` answers it.
 */
export function previewAppend(
  chunk: StreamChunk,
  contentType: string,
): z.input<typeof AppendPreviewSchema> {
  return {
    offset: encodeOffset(chunk.start),
    committedAt: new Date(chunk.committedAt).toISOString(),
    messages: chunk.end - chunk.start,
    preview: isTextContentType(contentType)
      ? _cut(_decoder.decode(chunk.data))
      : `<${chunk.data.byteLength} bytes>`,
  };
}

const _decoder = new TextDecoder();

/** The characters a preview keeps of an append's text. */
const _PREVIEW_CHARACTERS = 500;

/** Cuts a text to the preview's length, never between the halves of a surrogate pair. */
function _cut(text: string): string {
  if (text.length <= _PREVIEW_CHARACTERS) return text;
  const end = /[\uD800-\uDBFF]/.test(text[_PREVIEW_CHARACTERS - 1]!)
    ? _PREVIEW_CHARACTERS - 1
    : _PREVIEW_CHARACTERS;
  return `${text.slice(0, end)}…`;
}
