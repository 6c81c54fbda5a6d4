/**
 * The error codes of `@netscript/plugin-streams-core`, as a typed catalog.
 * The Durable Streams handler answers each with one HTTP status; its store
 * adapters raise the framework's shared store codes instead
 * (`STORE_UNAVAILABLE`, `SCHEMA_MISSING` of `@netscript/contracts/errors`).
 *
 * @module
 */

/**
 * Every code `@netscript/plugin-streams-core` raises, with what it means and
 * what to do.
 *
 * @example
 * ```ts
 * import { STREAMS_CORE_ERROR_CODES } from "@netscript/plugin-streams-core";
 *
 * console.log(STREAMS_CORE_ERROR_CODES.STREAMS_NOT_FOUND);
 * ```
 */
export const STREAMS_CORE_ERROR_CODES = {
  STREAMS_NOT_FOUND:
    "No stream has that path, or it expired (HTTP 404). Create the stream with PUT first, or check the path.",
  STREAMS_GONE:
    "The stream was deleted or expired while forks still read its data (HTTP 410). Read one of its forks, or create the stream under another path.",
  STREAMS_OFFSET_GONE:
    "The offset lies before the oldest data retention kept (HTTP 410). Read from offset -1 to start at the oldest data left.",
  STREAMS_INVALID_OFFSET:
    "An offset is malformed or lies past the stream's tail (HTTP 400). Use -1, now, or an offset the server returned in Stream-Next-Offset.",
  STREAMS_INVALID_HEADER:
    "A request header or query parameter has a value the protocol does not allow (HTTP 400); the message names it. Fix the value the message quotes.",
  STREAMS_INVALID_BODY:
    "A request body is empty where data is required, is not valid JSON for a JSON stream, or is an empty JSON array (HTTP 400). Send at least one byte or one JSON message.",
  STREAMS_PAYLOAD_TOO_LARGE:
    "A request body is larger than the handler's body limit (HTTP 413). Split the data into smaller appends, or raise maxBodyBytes.",
  STREAMS_CONFIG_MISMATCH:
    "A stream already exists at the path with another content type, TTL, expiry, closed state or fork origin, or the path belongs to a deleted stream forks still read (HTTP 409). Use the existing configuration or another path.",
  STREAMS_CONTENT_TYPE_MISMATCH:
    "An append's Content-Type differs from the stream's (HTTP 409). Send the content type the stream was created with.",
  STREAMS_CLOSED:
    "The stream is closed and takes no more appends (HTTP 409 with Stream-Closed: true). Treat the stream as finished; write to a new stream.",
  STREAMS_SEQ_CONFLICT:
    "A Stream-Seq value is not greater than the last one the stream accepted (HTTP 409). Send strictly increasing Stream-Seq values, compared byte by byte.",
  STREAMS_PRODUCER_FENCED:
    "An idempotent producer wrote with an epoch lower than the stream's current epoch for that producer id (HTTP 403 with the current Producer-Epoch). Stop this producer; a newer one owns the id.",
  STREAMS_PRODUCER_SEQ_GAP:
    "An idempotent producer skipped sequence numbers (HTTP 409 with Producer-Expected-Seq and Producer-Received-Seq). Resend the missing writes in order, starting at the expected sequence number.",
  STREAMS_PRODUCER_EPOCH_START:
    "An idempotent producer raised its epoch with a sequence number other than 0 (HTTP 400). Start every new epoch at Producer-Seq 0.",
  STREAMS_WRITE_CONTENTION:
    "A write lost to concurrent writes to the same streams more times than the handler retries (HTTP 503 with Retry-After). Retry the request.",
  STREAMS_METHOD_NOT_ALLOWED:
    "The handler does not serve that HTTP method (HTTP 405). Use PUT, POST, GET, HEAD, DELETE or OPTIONS.",
  STREAMS_INVALID_MESSAGE:
    "A message does not match its stream's schema: createDurableStream() checks appends (nothing is sent) and parsed reads; streams-api refuses an append to a declared topic with HTTP 422. Fix the fields the message lists, or the schema.",
  STREAMS_UNREACHABLE:
    "createDurableStream() could not reach the stream's server, or got only 5xx answers, for every try of a request. Check that streams-api is running at the URL given, then retry; an append retried later is still written once.",
  STREAMS_REQUEST_REFUSED:
    "The stream's server refused a request of createDurableStream() for a reason without a code of its own, or answered outside the Durable Streams protocol; the message quotes its answer. Fix what the answer names, and check the URL points at streams-api.",
} as const;

/** One of {@linkcode STREAMS_CORE_ERROR_CODES}. */
export type StreamsCoreErrorCode = keyof typeof STREAMS_CORE_ERROR_CODES;
