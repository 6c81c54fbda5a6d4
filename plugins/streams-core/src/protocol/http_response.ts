/**
 * The headers every Durable Streams response carries (browser security and
 * CORS), and the HTTP form of the package's errors: one status per code,
 * plus the headers the protocol attaches to some of them.
 *
 * @module
 */

import { isStoreError, NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { encodeOffset } from "./offsets.ts";

/** The request headers browsers may send (CORS). */
export const ALLOWED_REQUEST_HEADERS: readonly string[] = [
  "Authorization",
  "Content-Type",
  "If-None-Match",
  "Producer-Epoch",
  "Producer-Id",
  "Producer-Seq",
  "Stream-Closed",
  "Stream-Expires-At",
  "Stream-Fork-Offset",
  "Stream-Fork-Sub-Offset",
  "Stream-Forked-From",
  "Stream-Seq",
  "Stream-TTL",
];

/** The response headers browsers may read (CORS). */
export const EXPOSED_RESPONSE_HEADERS: readonly string[] = [
  "ETag",
  "Location",
  "Producer-Epoch",
  "Producer-Expected-Seq",
  "Producer-Received-Seq",
  "Producer-Seq",
  "Stream-Closed",
  "Stream-Cursor",
  "Stream-Expires-At",
  "Stream-Next-Offset",
  "Stream-SSE-Data-Encoding",
  "Stream-TTL",
  "Stream-Up-To-Date",
];

/** The methods the handler serves. */
export const ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS";

/**
 * The headers of every response: no MIME sniffing, cross-origin reads
 * allowed, and CORS for `origin`.
 *
 * @param origin The `Access-Control-Allow-Origin` value.
 * @returns Fresh headers to add to.
 */
export function baseHeaders(origin: string): Headers {
  return new Headers({
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": EXPOSED_RESPONSE_HEADERS.join(", "),
  });
}

/**
 * Answers a CORS preflight.
 *
 * @param origin The `Access-Control-Allow-Origin` value.
 * @returns A 204 with the allowed methods and headers.
 */
export function preflightResponse(origin: string): Response {
  const headers = baseHeaders(origin);
  headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
  headers.set("Access-Control-Allow-Headers", ALLOWED_REQUEST_HEADERS.join(", "));
  headers.set("Access-Control-Max-Age", "86400");
  return new Response(null, { status: 204, headers });
}

const _STATUS: Partial<Record<StreamsCoreErrorCode, number>> = {
  STREAMS_NOT_FOUND: 404,
  STREAMS_GONE: 410,
  STREAMS_OFFSET_GONE: 410,
  STREAMS_INVALID_OFFSET: 400,
  STREAMS_INVALID_HEADER: 400,
  STREAMS_INVALID_BODY: 400,
  STREAMS_PAYLOAD_TOO_LARGE: 413,
  STREAMS_CONFIG_MISMATCH: 409,
  STREAMS_CONTENT_TYPE_MISMATCH: 409,
  STREAMS_CLOSED: 409,
  STREAMS_SEQ_CONFLICT: 409,
  STREAMS_PRODUCER_FENCED: 403,
  STREAMS_PRODUCER_SEQ_GAP: 409,
  STREAMS_PRODUCER_EPOCH_START: 400,
  STREAMS_WRITE_CONTENTION: 503,
  STREAMS_METHOD_NOT_ALLOWED: 405,
  STREAMS_INVALID_MESSAGE: 422,
};

function _status(error: NetScriptError): number | undefined {
  return Object.hasOwn(_STATUS, error.code)
    ? _STATUS[error.code as StreamsCoreErrorCode]
    : undefined;
}

/**
 * Answers an error: a package error with its status and protocol headers,
 * a store error with 503, anything else with 500 (the caller logs it). The
 * body (none for `HEAD`) is JSON: `{ "code": …, "message": … }`.
 *
 * @param error What was thrown.
 * @param options The CORS origin, and whether the response may have a body (not for `HEAD`).
 * @returns The response, and whether the error was unexpected.
 */
export function errorResponse(
  error: unknown,
  options: { origin: string; withBody: boolean },
): { response: Response; unexpected: boolean } {
  const headers = baseHeaders(options.origin);
  headers.set("Cache-Control", "no-store");
  let status = 500;
  let body: unknown = { code: "INTERNAL", message: "The stream server failed; see its log" };
  if (error instanceof NetScriptError && (_status(error) !== undefined || isStoreError(error))) {
    status = _status(error) ?? 503;
    body = { code: error.code, message: error.message };
    const details = error.details;
    if (isStoreError(error)) {
      body = {
        code: error.code,
        message:
          "The stream store cannot be used right now; retry shortly (the server's log says why)",
      };
    }
    if (error.code === "STREAMS_INVALID_MESSAGE") {
      body = { code: error.code, message: error.message, refused: details.refused };
    } else if (error.code === "STREAMS_CLOSED") {
      headers.set("Stream-Closed", "true");
      headers.set("Stream-Next-Offset", encodeOffset(Number(details.tail)));
    } else if (error.code === "STREAMS_PRODUCER_FENCED") {
      headers.set("Producer-Epoch", String(details.currentEpoch));
    } else if (error.code === "STREAMS_PRODUCER_SEQ_GAP") {
      headers.set("Producer-Expected-Seq", String(details.expectedSeq));
      headers.set("Producer-Received-Seq", String(details.receivedSeq));
    } else if (error.code === "STREAMS_METHOD_NOT_ALLOWED") {
      headers.set("Allow", ALLOWED_METHODS);
    } else if (status === 503) {
      headers.set("Retry-After", "1");
    }
  }
  const unexpected = status === 500 || isStoreError(error);
  if (!options.withBody) {
    return { response: new Response(null, { status, headers }), unexpected };
  }
  headers.set("Content-Type", "application/json");
  return { response: new Response(JSON.stringify(body), { status, headers }), unexpected };
}
