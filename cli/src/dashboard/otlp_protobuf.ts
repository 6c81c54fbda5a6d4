/**
 * Decodes an OTLP `ExportTraceServiceRequest` in protobuf straight into
 * {@linkcode SpanRecord}s, walking the wire format with protobufjs's
 * `Reader` and building nothing but the records: no message objects, no
 * intermediate copies, no closures per message. The runner decodes every
 * span every process sends while the user's requests are served on the
 * same CPUs, so this path is kept lean. Field numbers are
 * opentelemetry-proto's (trace, resource and common); a field this does not
 * read, or one sent with an unexpected wire type, is skipped.
 *
 * @module
 */
import protobuf from "protobufjs/minimal.js";
import { isZeroId, SPAN_KINDS, SPAN_STATUSES, type SpanRecord } from "./span_record.ts";

type Reader = protobuf.Reader;
type MutableSpan = { -readonly [K in keyof SpanRecord]: SpanRecord[K] };

const HEX_CODES = new Uint8Array([..."0123456789abcdef"].map((digit) => digit.charCodeAt(0)));
const TRACE_ID_CODES = new Uint8Array(32);
const SPAN_ID_CODES = new Uint8Array(16);
/** The longest ASCII string read in one `String.fromCharCode` call (far below the argument limit). */
const ASCII_CHUNK = 8_192;
const TWO_TO_32 = 4_294_967_296;

/** A field's tag as it is on the wire: its number shifted left by 3, or'ed with its wire type. */
function tag(field: number, wire: 0 | 1 | 2): number {
  return (field << 3) | wire;
}

/** Wire types: varint 0, 64-bit 1, length-delimited 2. */
const FIELD_1_LENGTH = tag(1, 2);
const FIELD_2_LENGTH = tag(2, 2);
const SPAN_PARENT_ID = tag(4, 2);
const SPAN_NAME = tag(5, 2);
const SPAN_KIND = tag(6, 0);
const SPAN_START = tag(7, 1);
const SPAN_END = tag(8, 1);
const SPAN_ATTRIBUTE = tag(9, 2);
const SPAN_STATUS = tag(15, 2);
const STATUS_CODE = tag(3, 0);
const ANY_BOOL = tag(2, 0);
const ANY_INT = tag(3, 0);
const ANY_DOUBLE = tag(4, 1);
const ANY_ARRAY = tag(5, 2);
const ANY_KVLIST = tag(6, 2);
const ANY_BYTES = tag(7, 2);

/**
 * Decodes a protobuf `ExportTraceServiceRequest`.
 *
 * @param body The request body.
 * @returns Its spans, each with its resource's `service.name` (else `unknown`).
 * @throws {Error} When the body is not a valid request (truncated, a field
 *   running past its message, an id of the wrong length, a span without ids).
 */
export function decodeTraceRequest(body: Uint8Array): SpanRecord[] {
  const reader = protobuf.Reader.create(body);
  const spans: SpanRecord[] = [];
  while (reader.pos < reader.len) {
    const next = _tag(reader);
    if (next === FIELD_1_LENGTH) _resourceSpans(reader, _end(reader), spans);
    else reader.skipType(next & 7);
  }
  return spans;
}

/** One `ResourceSpans`: its resource's service name (field 1), then its scopes' spans (field 2). */
function _resourceSpans(reader: Reader, end: number, spans: SpanRecord[]): void {
  const first = spans.length;
  let service = "unknown";
  while (reader.pos < end) {
    const next = _tag(reader);
    if (next === FIELD_1_LENGTH) {
      service = _serviceName(reader, _end(reader)) ?? service;
    } else if (next === FIELD_2_LENGTH) {
      const scopeEnd = _end(reader);
      while (reader.pos < scopeEnd) {
        const scopeTag = _tag(reader);
        if (scopeTag === FIELD_2_LENGTH) spans.push(_span(reader, _end(reader)));
        else reader.skipType(scopeTag & 7);
      }
      _ended(reader, scopeEnd);
    } else {
      reader.skipType(next & 7);
    }
  }
  _ended(reader, end);
  for (let index = first; index < spans.length; index++) {
    (spans[index] as MutableSpan).service = service;
  }
}

/** A `Resource`'s `service.name` attribute (field 1 holds the attributes), when it has one. */
function _serviceName(reader: Reader, end: number): string | undefined {
  let service: string | undefined;
  while (reader.pos < end) {
    const next = _tag(reader);
    if (next !== FIELD_1_LENGTH) {
      reader.skipType(next & 7);
      continue;
    }
    const [key, value] = _keyValue(reader, _end(reader));
    if (key === "service.name" && typeof value === "string" && value !== "") service = value;
  }
  _ended(reader, end);
  return service;
}

/** One `Span`. */
function _span(reader: Reader, end: number): SpanRecord {
  let traceId = "";
  let spanId = "";
  let parentSpanId = "";
  let name = "";
  let kind = 0;
  let startLow = 0;
  let startHigh = 0;
  let endLow = 0;
  let endHigh = 0;
  let status = 0;
  let statusMessage = "";
  const attributes: Record<string, string> = {};
  while (reader.pos < end) {
    const next = _tag(reader);
    switch (next) {
      case FIELD_1_LENGTH:
        traceId = _id(reader, 16, "trace_id");
        break;
      case FIELD_2_LENGTH:
        spanId = _id(reader, 8, "span_id");
        break;
      case SPAN_PARENT_ID:
        parentSpanId = _id(reader, 8, "parent_span_id");
        break;
      case SPAN_NAME:
        name = _string(reader);
        break;
      case SPAN_KIND:
        kind = reader.int32();
        break;
      case SPAN_START:
        startLow = reader.fixed32();
        startHigh = reader.fixed32();
        break;
      case SPAN_END:
        endLow = reader.fixed32();
        endHigh = reader.fixed32();
        break;
      case SPAN_ATTRIBUTE: {
        const [key, value] = _keyValue(reader, _end(reader));
        attributes[key] = _text(value);
        break;
      }
      case SPAN_STATUS: {
        const statusEnd = _end(reader);
        while (reader.pos < statusEnd) {
          const statusTag = _tag(reader);
          if (statusTag === FIELD_2_LENGTH) statusMessage = _string(reader);
          else if (statusTag === STATUS_CODE) status = reader.int32();
          else reader.skipType(statusTag & 7);
        }
        _ended(reader, statusEnd);
        break;
      }
      default:
        reader.skipType(next & 7);
    }
  }
  _ended(reader, end);
  if (isZeroId(traceId) || isZeroId(spanId)) throw new TypeError("a span has no trace or span id");
  // Nanoseconds come as 32-bit halves: the start becomes a float of
  // milliseconds, the duration is exact from the difference of the halves.
  const durationNs = (endHigh - startHigh) * TWO_TO_32 + (endLow - startLow);
  return {
    traceId,
    spanId,
    parentSpanId: isZeroId(parentSpanId) ? null : parentSpanId,
    name,
    service: "unknown",
    kind: SPAN_KINDS[kind] ?? "unspecified",
    startMs: (startHigh * TWO_TO_32 + startLow) / 1_000_000,
    durationMs: durationNs > 0 ? durationNs / 1_000_000 : 0,
    status: SPAN_STATUSES[status] ?? "unset",
    statusMessage,
    attributes,
  };
}

/** A `KeyValue`: its key (field 1) and its value (field 2) as a JSON value. */
function _keyValue(reader: Reader, end: number): [string, unknown] {
  let key = "";
  let value: unknown = null;
  while (reader.pos < end) {
    const next = _tag(reader);
    if (next === FIELD_1_LENGTH) key = _string(reader);
    else if (next === FIELD_2_LENGTH) value = _anyValue(reader, _end(reader));
    else reader.skipType(next & 7);
  }
  _ended(reader, end);
  return [key, value];
}

/** An `AnyValue` as a JSON value (`null` when empty): an int64 past 2^53 as its decimal string, bytes as base64. */
function _anyValue(reader: Reader, end: number): unknown {
  let value: unknown = null;
  while (reader.pos < end) {
    const next = _tag(reader);
    switch (next) {
      case FIELD_1_LENGTH:
        value = _string(reader);
        break;
      case ANY_BOOL:
        value = reader.bool();
        break;
      case ANY_INT: {
        const text = String(reader.int64());
        value = Number.isSafeInteger(Number(text)) ? Number(text) : text;
        break;
      }
      case ANY_DOUBLE:
        value = reader.double();
        break;
      case ANY_ARRAY:
      case ANY_KVLIST: {
        const listEnd = _end(reader);
        const items: unknown[] = [];
        const entries: Record<string, unknown> = {};
        while (reader.pos < listEnd) {
          const itemTag = _tag(reader);
          if (itemTag !== FIELD_1_LENGTH) {
            reader.skipType(itemTag & 7);
          } else if (next === ANY_ARRAY) {
            items.push(_anyValue(reader, _end(reader)));
          } else {
            const [key, item] = _keyValue(reader, _end(reader));
            entries[key] = item;
          }
        }
        _ended(reader, listEnd);
        value = next === ANY_ARRAY ? items : entries;
        break;
      }
      case ANY_BYTES: {
        const bytes = reader.bytes();
        value = protobuf.util.base64.encode(bytes, 0, bytes.length);
        break;
      }
      default:
        reader.skipType(next & 7);
    }
  }
  _ended(reader, end);
  return value;
}

/** An attribute's value as text: arrays and key-value lists as JSON, nothing as `""`. */
function _text(value: unknown): string {
  if (typeof value === "string") return value;
  return value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The next field's tag; field number 0 does not exist. */
function _tag(reader: Reader): number {
  const next = reader.uint32();
  if (next >>> 3 === 0) throw new TypeError("a field has number 0");
  return next;
}

/** Reads a length prefix and returns where the field ends. */
function _end(reader: Reader): number {
  const end = reader.uint32() + reader.pos;
  if (end > reader.len) throw new RangeError("a field runs past the end of the body");
  return end;
}

/** Checks that a message's last field ended exactly where the message does. */
function _ended(reader: Reader, end: number): void {
  if (reader.pos !== end) throw new RangeError("a message ends inside a field");
}

/** An id of `size` bytes as lowercase hex; `""` when empty. */
function _id(reader: Reader, size: number, field: string): string {
  const end = _end(reader);
  const length = end - reader.pos;
  if (length !== 0 && length !== size) {
    throw new TypeError(`${field} has ${length} bytes instead of ${size}`);
  }
  const codes = size === 16 ? TRACE_ID_CODES : SPAN_ID_CODES;
  for (let index = 0; index < length; index++) {
    const byte = reader.buf[reader.pos + index]!;
    codes[index * 2] = HEX_CODES[byte >> 4]!;
    codes[index * 2 + 1] = HEX_CODES[byte & 15]!;
  }
  reader.pos = end;
  return length === 0 ? "" : String.fromCharCode.apply(null, codes as unknown as number[]);
}

/**
 * A length-delimited UTF-8 string: ASCII (every name and most values) is
 * read straight from the body's bytes, anything else by the runtime's decoder.
 */
function _string(reader: Reader): string {
  const end = _end(reader);
  const { buf, pos } = reader;
  reader.pos = end;
  if (end - pos <= ASCII_CHUNK) {
    let ascii = true;
    for (let index = pos; index < end && ascii; index++) ascii = buf[index]! <= 0x7f;
    if (ascii) {
      return String.fromCharCode.apply(null, buf.subarray(pos, end) as unknown as number[]);
    }
  }
  return UTF8.decode(buf.subarray(pos, end));
}

const UTF8 = new TextDecoder();
