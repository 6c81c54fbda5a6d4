/**
 * Serving the Durable Streams reads: `HEAD` (metadata), and `GET` as a
 * catch-up read (with ETag and 304), a long-poll, or an SSE stream.
 *
 * @module
 */

import { isJsonContentType } from "./content_type.ts";
import { nextCursor } from "./cursor.ts";
import { type HandlerSettings, streamHeaders } from "./handler_settings.ts";
import { readQuery } from "./http_request.ts";
import { baseHeaders } from "./http_response.ts";
import { encodeOffset } from "./offsets.ts";
import { joinSlices } from "./read_range.ts";
import { longPollStream, type ReadResult, readStream } from "./read_stream.ts";
import { openSseStream } from "./sse_stream.ts";
import { loadLiveStream } from "./stream_lifecycle.ts";

/**
 * Serves a `HEAD`: the stream's metadata, never cached, without resetting
 * its TTL.
 *
 * @param settings The handler's settings.
 * @param path The stream's path.
 * @returns The response.
 */
export async function serveHead(settings: HandlerSettings, path: string): Promise<Response> {
  const record = await loadLiveStream(settings.context, path);
  const headers = streamHeaders(settings, record);
  headers.set("Cache-Control", "no-store");
  if (record.ttlSeconds !== null) headers.set("Stream-TTL", String(record.ttlSeconds));
  if (record.expiresAt !== null) {
    headers.set("Stream-Expires-At", new Date(record.expiresAt).toISOString());
  }
  return new Response(null, { status: 200, headers });
}

function _etag(read: ReadResult): string {
  const closed = read.closedAtEnd ? ":c" : "";
  return `"${read.record.createdAt.toString(36)}:${encodeOffset(read.start)}:${
    encodeOffset(read.end)
  }${closed}"`;
}

function _matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(",").some((candidate) => {
    const value = candidate.trim();
    return value === "*" || value === etag || value === `W/${etag}`;
  });
}

function _readResponse(
  settings: HandlerSettings,
  request: Request,
  read: ReadResult,
  mode: { now: boolean; cursor: string | null; live: boolean },
): Response {
  const headers = streamHeaders(settings, read.record, read.end);
  if (read.upToDate) headers.set("Stream-Up-To-Date", "true");
  if (mode.live && !read.closedAtEnd) {
    headers.set("Stream-Cursor", nextCursor(mode.cursor, settings.context.now()));
  }
  const json = isJsonContentType(read.record.contentType);
  if (mode.live && read.slices.length === 0) {
    headers.set("Cache-Control", "no-store");
    return new Response(null, { status: 204, headers });
  }
  if (mode.now || read.slices.length === 0) {
    headers.set("Cache-Control", "no-store");
  } else {
    headers.set("Cache-Control", settings.readCacheControl);
  }
  if (!mode.now) {
    const etag = _etag(read);
    headers.set("ETag", etag);
    if (_matchesEtag(request.headers.get("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers });
    }
  }
  return new Response(joinSlices(read.slices, json), { status: 200, headers });
}

/**
 * Serves a `GET`: a catch-up read, a long-poll or an SSE stream, as the
 * query asks.
 *
 * @param settings The handler's settings.
 * @param request The request.
 * @param path The stream's path.
 * @returns The response.
 */
export async function serveRead(
  settings: HandlerSettings,
  request: Request,
  path: string,
): Promise<Response> {
  const query = readQuery(new URL(request.url).searchParams);
  const base = { path, offset: query.offset, maxBytes: settings.maxReadBytes };
  const now = query.offset.kind === "now";
  if (query.live === "sse") {
    const sse = await openSseStream(settings.context, {
      ...base,
      cursor: query.cursor,
      maxDurationMs: settings.sseMaxDurationMs,
      signal: request.signal,
    });
    const headers = baseHeaders(settings.origin);
    headers.set("Content-Type", "text/event-stream");
    headers.set("Cache-Control", "no-cache");
    if (sse.base64) headers.set("Stream-SSE-Data-Encoding", "base64");
    return new Response(sse.body, { status: 200, headers });
  }
  if (query.live === "long-poll") {
    const read = await longPollStream(settings.context, {
      ...base,
      timeoutMs: settings.longPollTimeoutMs,
      signal: request.signal,
    });
    return _readResponse(settings, request, read, { now, cursor: query.cursor, live: true });
  }
  const read = await readStream(settings.context, base);
  return _readResponse(settings, request, read, { now, cursor: query.cursor, live: false });
}
