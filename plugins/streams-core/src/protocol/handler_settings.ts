/**
 * The settings a Durable Streams handler resolved from its options, shared
 * by the code serving reads and writes, and the headers every stream
 * response carries.
 *
 * @module
 */

import type { StreamRecord } from "../ports/stream_store.ts";
import type { ProtocolContext } from "./context.ts";
import { baseHeaders } from "./http_response.ts";
import { encodeOffset } from "./offsets.ts";

/** A handler's resolved settings. */
export interface HandlerSettings {
  /** The store, clock and write serialization. */
  context: ProtocolContext;
  /** The path prefix streams live under, ending in `/`. */
  basePath: string;
  /** How long a long-poll waits. */
  longPollTimeoutMs: number;
  /** How long an SSE connection lasts. */
  sseMaxDurationMs: number;
  /** The largest request body. */
  maxBodyBytes: number;
  /** About how many bytes one read returns. */
  maxReadBytes: number;
  /** The `Cache-Control` of catch-up reads with data. */
  readCacheControl: string;
  /** The CORS origin. */
  origin: string;
}

/**
 * The headers of a response about a stream: content type, next offset and,
 * when the reader reached the end of a closed stream, `Stream-Closed`.
 *
 * @param settings The handler's settings.
 * @param record The stream.
 * @param next The next offset's position; the stream's tail by default.
 * @returns Fresh headers to add to.
 */
export function streamHeaders(
  settings: HandlerSettings,
  record: StreamRecord,
  next: number = record.tail,
): Headers {
  const headers = baseHeaders(settings.origin);
  headers.set("Content-Type", record.contentType);
  headers.set("Stream-Next-Offset", encodeOffset(next));
  if (record.closed && next >= record.tail) headers.set("Stream-Closed", "true");
  return headers;
}
