/**
 * Serving the Durable Streams writes: `PUT` creates (or confirms) a stream,
 * `POST` appends and closes, `DELETE` deletes.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { appendToStream } from "./append_stream.ts";
import { createStream } from "./create_stream.ts";
import { type HandlerSettings, streamHeaders } from "./handler_settings.ts";
import {
  readClosedHeader,
  readExpiryHeaders,
  readForkHeaders,
  readProducerHeaders,
  readSeqHeader,
} from "./http_request.ts";
import { baseHeaders } from "./http_response.ts";
import { encodeOffset } from "./offsets.ts";
import { readBody } from "./read_body.ts";
import { deleteStream } from "./stream_lifecycle.ts";

/**
 * Serves a `PUT`: creates the stream (201, with `Location`) or confirms an
 * identical one (200).
 *
 * @param settings The handler's settings.
 * @param request The request.
 * @param path The stream's path.
 * @returns The response.
 */
export async function serveCreate(
  settings: HandlerSettings,
  request: Request,
  path: string,
): Promise<Response> {
  const { ttlSeconds, expiresAt } = readExpiryHeaders(request.headers);
  const fork = readForkHeaders(request.headers, request.url);
  const body = await readBody(request, settings.maxBodyBytes);
  const contentType = request.headers.get("content-type");
  const result = await createStream(settings.context, {
    path,
    contentType: contentType === null || contentType.trim() === "" ? null : contentType.trim(),
    ttlSeconds,
    expiresAt,
    closed: readClosedHeader(request.headers),
    body,
    fork,
  });
  const headers = streamHeaders(settings, result.record);
  if (result.created) headers.set("Location", new URL(path, request.url).href);
  return new Response(null, { status: result.created ? 201 : 200, headers });
}

/**
 * Serves a `POST`: appends, closes, or both; 200 for a producer's new
 * data, 204 otherwise.
 *
 * @param settings The handler's settings.
 * @param request The request.
 * @param path The stream's path.
 * @returns The response.
 */
export async function serveAppend(
  settings: HandlerSettings,
  request: Request,
  path: string,
): Promise<Response> {
  const close = readClosedHeader(request.headers);
  const producer = readProducerHeaders(request.headers);
  const seq = readSeqHeader(request.headers);
  const body = await readBody(request, settings.maxBodyBytes);
  const contentType = request.headers.get("content-type");
  if (body.byteLength > 0 && (contentType === null || contentType.trim() === "")) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_HEADER",
      `Cannot append to stream "${path}" without a Content-Type; send the stream's content type`,
      { details: { name: "Content-Type", path } },
    );
  }
  const result = await appendToStream(settings.context, {
    path,
    contentType,
    body,
    close,
    seq,
    producer,
  });
  const headers = baseHeaders(settings.origin);
  headers.set("Stream-Next-Offset", encodeOffset(result.record.tail));
  if (result.record.closed) headers.set("Stream-Closed", "true");
  if (producer) {
    headers.set("Producer-Epoch", String(producer.epoch));
    headers.set("Producer-Seq", String(result.producerSeq));
  }
  const status = result.kind === "appended" && producer && body.byteLength > 0 ? 200 : 204;
  return new Response(null, { status, headers });
}

/**
 * Serves a `DELETE`.
 *
 * @param settings The handler's settings.
 * @param path The stream's path.
 * @returns A 204.
 */
export async function serveDelete(settings: HandlerSettings, path: string): Promise<Response> {
  await deleteStream(settings.context, path);
  return new Response(null, { status: 204, headers: baseHeaders(settings.origin) });
}
