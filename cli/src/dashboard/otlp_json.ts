/**
 * Decodes an OTLP trace export in JSON (`http/json`) into
 * {@linkcode SpanRecord}s, checking every field's type as it goes.
 *
 * @module
 */
import { isZeroId, SPAN_KINDS, SPAN_STATUSES, type SpanRecord } from "./span_record.ts";

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest`: hex ids, camelCase
 * keys, int64 as decimal strings or numbers, enums as integers.
 *
 * @param body The request body, UTF-8 JSON.
 * @returns Its spans, each with its resource's `service.name` (else `unknown`).
 * @throws {Error} When the body is not a valid request (not UTF-8 or JSON, a
 *   field of the wrong type, an id of the wrong length, a span without ids).
 */
export function decodeTraceRequestJson(body: Uint8Array): SpanRecord[] {
  const request: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  const spans: SpanRecord[] = [];
  for (const resourceSpans of _list(_object(request).resourceSpans)) {
    const { resource, scopeSpans } = _object(resourceSpans);
    const attributes = _absent(resource) ? {} : _attributes(_object(resource).attributes);
    const service = attributes["service.name"] || "unknown";
    for (const scope of _list(scopeSpans)) {
      for (const span of _list(_object(scope).spans)) {
        spans.push(_span(_object(span), service));
      }
    }
  }
  return spans;
}

/** One span of a request. */
function _span(span: Record<string, unknown>, service: string): SpanRecord {
  const traceId = _hexId(span.traceId, 16);
  const spanId = _hexId(span.spanId, 8);
  if (isZeroId(traceId) || isZeroId(spanId)) throw new TypeError("a span has no trace or span id");
  const parentSpanId = _hexId(span.parentSpanId, 8);
  const start = _nanos(span.startTimeUnixNano);
  const end = _nanos(span.endTimeUnixNano);
  const status = _absent(span.status) ? {} : _object(span.status);
  return {
    traceId,
    spanId,
    parentSpanId: isZeroId(parentSpanId) ? null : parentSpanId,
    name: _string(span.name),
    service,
    kind: SPAN_KINDS[_enum(span.kind)] ?? "unspecified",
    startMs: Number(start / 1_000n) / 1_000,
    durationMs: end > start ? Number(end - start) / 1_000_000 : 0,
    status: SPAN_STATUSES[_enum(status.code)] ?? "unset",
    statusMessage: _string(status.message),
    attributes: _attributes(span.attributes),
  };
}

/** An id as OTLP/JSON writes it: hex digits, any case. */
function _hexId(value: unknown, size: number): string {
  const id = _string(value);
  if (id !== "" && (id.length !== size * 2 || !/^[0-9a-f]*$/i.test(id))) {
    throw new TypeError(`an id is not ${size * 2} hex digits: "${id.slice(0, 40)}"`);
  }
  return id.toLowerCase();
}

/** Attributes (`KeyValue`s) as text by key; a repeated key keeps its last value. */
function _attributes(list: unknown): Record<string, string> {
  return Object.fromEntries(_keyValues(list, (value) => {
    const plain = _plain(value);
    if (plain === null) return "";
    return typeof plain === "object" ? JSON.stringify(plain) : String(plain);
  }));
}

/** The `[key, value]` pairs of a `KeyValue` list, each value mapped by `map`. */
function _keyValues<T>(list: unknown, map: (value: unknown) => T): [string, T][] {
  return _list(list).map((item) => {
    const pair = _object(item);
    return [_string(pair.key), map(pair.value)];
  });
}

/** An `AnyValue` as a JSON value (`null` when empty): a large int64 as its decimal string, bytes as base64. */
function _plain(value: unknown): unknown {
  if (_absent(value)) return null;
  const any = _object(value);
  if (!_absent(any.stringValue)) return _string(any.stringValue);
  if (!_absent(any.boolValue)) {
    if (typeof any.boolValue !== "boolean") {
      throw new TypeError(_expected("a boolean", any.boolValue));
    }
    return any.boolValue;
  }
  if (!_absent(any.intValue)) {
    const int = _integer(any.intValue);
    return Number.isSafeInteger(Number(int)) ? Number(int) : String(int);
  }
  if (!_absent(any.doubleValue)) return _double(any.doubleValue);
  if (!_absent(any.arrayValue)) return _list(_object(any.arrayValue).values).map(_plain);
  if (!_absent(any.kvlistValue)) {
    return Object.fromEntries(_keyValues(_object(any.kvlistValue).values, _plain));
  }
  if (!_absent(any.bytesValue)) return _string(any.bytesValue);
  return null;
}

/** A nanosecond timestamp; 0 when absent. */
function _nanos(value: unknown): bigint {
  return _absent(value) ? 0n : _integer(value);
}

/** An int64 as OTLP/JSON allows it: a decimal string or an integer number. */
function _integer(value: unknown): bigint {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(_expected("an integer", value));
}

/** A double: a number, or `NaN` / `Infinity` / `-Infinity` as a string. */
function _double(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === "NaN" || value === "Infinity" || value === "-Infinity") return Number(value);
  throw new TypeError(_expected("a double", value));
}

/** An enum's integer; 0 when absent. */
function _enum(value: unknown): number {
  if (_absent(value)) return 0;
  if (typeof value !== "number") throw new TypeError(_expected("an enum integer", value));
  return value;
}

/** A string; `""` when absent. */
function _string(value: unknown): string {
  if (_absent(value)) return "";
  if (typeof value !== "string") throw new TypeError(_expected("a string", value));
  return value;
}

/** An array; empty when absent. */
function _list(value: unknown): unknown[] {
  if (_absent(value)) return [];
  if (!Array.isArray(value)) throw new TypeError(_expected("an array", value));
  return value;
}

/** An object (not an array). */
function _object(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(_expected("an object", value));
  }
  return value as Record<string, unknown>;
}

/** Whether a field is missing (JSON may also write `null`). */
function _absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A short message naming what was expected and what came. */
function _expected(what: string, value: unknown): string {
  const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  return `expected ${what}, got ${got}`;
}
