/**
 * Reading the Durable Streams request headers, query parameters and body:
 * each malformed value is refused with `STREAMS_INVALID_HEADER` (or
 * `STREAMS_INVALID_OFFSET`, `STREAMS_PAYLOAD_TOO_LARGE`) naming it.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { parseOffset, type RequestedOffset } from "./offsets.ts";
import type { ForkRequest } from "./fork_position.ts";
import type { ProducerWrite } from "./producer.ts";

const _UNSIGNED = /^(0|[1-9]\d*)$/;
const _RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function _invalid(name: string, value: string, rule: string): NetScriptError<StreamsCoreErrorCode> {
  return new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_INVALID_HEADER",
    `Cannot accept ${name} ${JSON.stringify(value.slice(0, 80))}: ${rule}`,
    { details: { name, value: value.slice(0, 80) } },
  );
}

function _unsigned(name: string, value: string, rule: string): number {
  const number = _UNSIGNED.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) throw _invalid(name, value, rule);
  return number;
}

/**
 * Whether a request sets `Stream-Closed: true` (any other value counts as absent).
 *
 * @param headers The request headers.
 * @returns `true` when the value is `true`, ignoring case.
 */
export function readClosedHeader(headers: Headers): boolean {
  return headers.get("stream-closed")?.trim().toLowerCase() === "true";
}

/**
 * Reads `Stream-TTL` and `Stream-Expires-At`.
 *
 * @param headers The request headers.
 * @returns The TTL in seconds and the expiry in milliseconds, each `null` when absent.
 */
export function readExpiryHeaders(
  headers: Headers,
): { ttlSeconds: number | null; expiresAt: number | null } {
  const ttl = headers.get("stream-ttl");
  const expires = headers.get("stream-expires-at");
  if (ttl !== null && expires !== null) {
    throw _invalid(
      "Stream-TTL",
      ttl,
      "a stream has either Stream-TTL or Stream-Expires-At, not both; send one",
    );
  }
  const ttlSeconds = ttl === null ? null : _unsigned(
    "Stream-TTL",
    ttl,
    "it must be a whole number of seconds without sign, leading zeros, decimals or exponent",
  );
  let expiresAt: number | null = null;
  if (expires !== null) {
    expiresAt = _RFC3339.test(expires.trim()) ? Date.parse(expires.trim()) : NaN;
    if (Number.isNaN(expiresAt)) {
      throw _invalid(
        "Stream-Expires-At",
        expires,
        "it must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z",
      );
    }
  }
  return { ttlSeconds, expiresAt };
}

/**
 * Reads the idempotent producer headers: all three or none.
 *
 * @param headers The request headers.
 * @returns The producer's write, or `null` when none of the headers is present.
 */
export function readProducerHeaders(headers: Headers): ProducerWrite | null {
  const id = headers.get("producer-id");
  const epoch = headers.get("producer-epoch");
  const seq = headers.get("producer-seq");
  if (id === null && epoch === null && seq === null) return null;
  if (id === null || epoch === null || seq === null) {
    const sent = [["Producer-Id", id], ["Producer-Epoch", epoch], ["Producer-Seq", seq]]
      .filter(([, value]) => value !== null).map(([name]) => name);
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_HEADER",
      `Cannot accept an idempotent producer write with only ${
        sent.join(" and ")
      }: send Producer-Id, Producer-Epoch and Producer-Seq together, or none of them`,
      { details: { name: "Producer-Id", sent } },
    );
  }
  if (id.trim() === "") throw _invalid("Producer-Id", id, "it must not be empty");
  const rule = "it must be a non-negative integer up to 2^53-1";
  return {
    id,
    epoch: _unsigned("Producer-Epoch", epoch, rule),
    seq: _unsigned("Producer-Seq", seq, rule),
  };
}

/**
 * Reads `Stream-Seq`.
 *
 * @param headers The request headers.
 * @returns The value, or `null` when absent.
 */
export function readSeqHeader(headers: Headers): string | null {
  const seq = headers.get("stream-seq");
  if (seq === null) return null;
  if (seq === "") throw _invalid("Stream-Seq", seq, "it must not be empty");
  return seq;
}

/**
 * Reads `Stream-Forked-From`, `Stream-Fork-Offset` and
 * `Stream-Fork-Sub-Offset`.
 *
 * @param headers The request headers.
 * @param base The request's URL, to resolve the source path against.
 * @returns The fork, or `null` when the request is not a fork.
 */
export function readForkHeaders(headers: Headers, base: string): ForkRequest | null {
  const from = headers.get("stream-forked-from");
  const offset = headers.get("stream-fork-offset");
  const sub = headers.get("stream-fork-sub-offset");
  if (from === null) {
    if (offset !== null) {
      throw _invalid("Stream-Fork-Offset", offset, "it needs Stream-Forked-From");
    }
    if (sub !== null) throw _invalid("Stream-Fork-Sub-Offset", sub, "it needs Stream-Forked-From");
    return null;
  }
  if (from.trim() === "") {
    throw _invalid("Stream-Forked-From", from, "it must be the source stream's path");
  }
  let source: string;
  try {
    source = new URL(from.trim(), base).pathname;
  } catch {
    throw _invalid("Stream-Forked-From", from, "it must be the source stream's path");
  }
  const subOffset = sub === null ? 0 : _unsigned(
    "Stream-Fork-Sub-Offset",
    sub,
    "it must be a non-negative integer without sign or leading zeros",
  );
  if (subOffset > 0 && offset === null) {
    throw _invalid("Stream-Fork-Sub-Offset", sub!, "it needs Stream-Fork-Offset");
  }
  return { source, offset: offset === null ? null : parseOffset(offset.trim()), subOffset };
}

/** The query parameters of a `GET`. */
export interface ReadQuery {
  /** The requested offset. */
  offset: RequestedOffset;
  /** Whether the request named an offset. */
  offsetGiven: boolean;
  /** The live mode, or `null` for a catch-up read. */
  live: "long-poll" | "sse" | null;
  /** The echoed cursor, or `null`. */
  cursor: string | null;
}

/**
 * Reads `offset`, `live` and `cursor`; other parameters are ignored.
 *
 * @param params The request's query parameters.
 * @returns The read's parameters.
 */
export function readQuery(params: URLSearchParams): ReadQuery {
  const offsets = params.getAll("offset");
  if (offsets.length > 1) throw _invalid("offset", offsets.join("&"), "send one offset parameter");
  const live = params.get("live");
  if (live !== null && live !== "long-poll" && live !== "sse") {
    throw _invalid("live", live, "it must be long-poll or sse");
  }
  const [offset] = offsets;
  if (offset === undefined && live !== null) {
    throw _invalid(
      "offset",
      "",
      `live=${live} needs an offset parameter; send -1, now, or an offset the server returned`,
    );
  }
  if (offset === "") {
    throw _invalid("offset", "", "it must not be empty; send -1 to read from the start");
  }
  return {
    offset: offset === undefined ? { kind: "start" } : parseOffset(offset),
    offsetGiven: offset !== undefined,
    live,
    cursor: params.get("cursor"),
  };
}
