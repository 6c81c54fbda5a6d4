/**
 * The reading half of {@linkcode createDurableStream}: catch-up reads until
 * the stream's tail, then, when live, long-poll reads that wait for new
 * data; each answer is one batch of messages with the offset to resume
 * from.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { refusal, sendWithRetries, type StreamEndpoint } from "./_protocol_client.ts";

/** One answer of a read: messages, and where to resume. */
export interface ReadBatch<T> {
  /** The messages, in stream order; empty when a live wait ended with nothing new. */
  readonly messages: T[];
  /** Read from this offset to get what comes after these messages. */
  readonly offset: string;
  /** `true` when the batch reaches the stream's tail as it was when read. */
  readonly upToDate: boolean;
  /** `true` when the stream is closed and nothing follows. */
  readonly closed: boolean;
}

/** Where and how a read goes. */
export interface ReadPlan {
  /** The offset to start from: `-1` for the start, `now` for the tail, or an offset read earlier. */
  readonly from: string;
  /** Keep waiting for new data at the tail (long-poll) instead of ending there. */
  readonly live: boolean;
  /** The stream's name, for messages. */
  readonly stream: string;
}

/**
 * Reads raw JSON batches of a stream.
 *
 * @param endpoint The stream's URL and how to reach it.
 * @param plan Where to start and whether to wait at the tail.
 * @param decode Checks and converts one message; throws to stop the read.
 * @returns The batches, in order.
 */
export async function* readBatches<T>(
  endpoint: StreamEndpoint,
  plan: ReadPlan,
  decode: (message: unknown, offset: string) => T,
): AsyncGenerator<ReadBatch<T>, void, undefined> {
  let offset = plan.from;
  let cursor: string | null = null;
  let caughtUp = false;
  for (;;) {
    const url = new URL(endpoint.url);
    url.searchParams.set("offset", offset);
    if (plan.live && caughtUp) {
      url.searchParams.set("live", "long-poll");
      if (cursor !== null) url.searchParams.set("cursor", cursor);
    }
    const response = await sendWithRetries(endpoint, () => new Request(url));
    if (response.status !== 200 && response.status !== 204) {
      throw await refusal(response, plan.stream);
    }
    const at = offset;
    offset = response.headers.get("stream-next-offset") ?? _missingOffset(plan.stream);
    cursor = response.headers.get("stream-cursor") ?? cursor;
    const upToDate = response.headers.get("stream-up-to-date") === "true";
    const closed = response.headers.get("stream-closed") === "true";
    const body = response.status === 200 ? await response.text() : "";
    const messages = body === "" ? [] : _array(body, plan.stream, at).map((m) => decode(m, at));
    if (messages.length > 0 || closed) yield { messages, offset, upToDate, closed };
    if (closed && upToDate) return;
    if (upToDate) {
      if (!plan.live) return;
      caughtUp = true;
    }
  }
}

function _array(body: string, stream: string, offset: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed)) return parsed;
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_REQUEST_REFUSED",
    `Stream "${stream}" answered a read at offset ${offset} with something other than a JSON array; it is not a JSON stream`,
    { details: { stream, offset } },
  );
}

function _missingOffset(stream: string): never {
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_REQUEST_REFUSED",
    `Stream "${stream}" answered a read without a Stream-Next-Offset header; the server does not speak the Durable Streams protocol`,
    { details: { stream } },
  );
}
