/**
 * The receiving end of the dashboard's traces: an OTLP/HTTP endpoint that
 * the processes of `netscript dev` export to (Deno's built-in OpenTelemetry,
 * `OTEL_DENO=true`), decoding `ExportTraceServiceRequest` bodies in protobuf
 * (`http/protobuf`) or JSON (`http/json`) into flat {@linkcode SpanRecord}s.
 *
 * @module
 */
import { decodeTraceRequest } from "./otlp_protobuf.ts";

/** One finished span, flattened out of an OTLP export. */
export interface SpanRecord {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** The parent's span id, or `null` for a root span. */
  readonly parentSpanId: string | null;
  /** What the span did, e.g. `GET` for Deno's HTTP spans. */
  readonly name: string;
  /** The `service.name` resource attribute of the process, else `unknown`. */
  readonly service: string;
  /** The OTLP span kind. */
  readonly kind: "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
  /** When it started, in milliseconds since the epoch (fractional). */
  readonly startMs: number;
  /** How long it took, in milliseconds (fractional, never negative). */
  readonly durationMs: number;
  /** The OTLP status code. */
  readonly status: "unset" | "ok" | "error";
  /** The status message, empty when none. */
  readonly statusMessage: string;
  /** The span's attributes as text: arrays and key-value lists as JSON, bytes as base64. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** The default {@linkcode ReceiveOtlpOptions.maxBodyBytes}: 8 MiB. */
export const DEFAULT_MAX_OTLP_BODY_BYTES = 8 * 1024 * 1024;

/** Options of {@linkcode receiveOtlp}. */
export interface ReceiveOtlpOptions {
  /**
   * The largest body accepted, in bytes, counted after decompression while
   * it is read.
   * @default {8388608}
   */
  maxBodyBytes?: number;
}

const _KINDS: readonly SpanRecord["kind"][] = [
  "unspecified",
  "internal",
  "server",
  "client",
  "producer",
  "consumer",
];
const _STATUSES: readonly SpanRecord["status"][] = ["unset", "ok", "error"];
const _SIGNALS: Readonly<Record<string, "traces" | "logs" | "metrics">> = {
  "/v1/traces": "traces",
  "/v1/logs": "logs",
  "/v1/metrics": "metrics",
};
const _FORMATS: Readonly<Record<string, "protobuf" | "json">> = {
  "application/x-protobuf": "protobuf",
  "application/json": "json",
};

/**
 * Answers one OTLP/HTTP export like a collector: `POST /v1/traces` is decoded
 * and its spans passed to `sink`; `POST /v1/logs` and `/v1/metrics` succeed
 * and are discarded, so an exporting process has nothing to complain about.
 * The body is `application/x-protobuf` or `application/json`, optionally
 * `content-encoding: gzip`. Success is an empty protobuf body or `{}`; an
 * undecodable body is 400, a body over the limit 413 (read no further), any
 * other content type or encoding 415, another path 404 and another method 405,
 * each with a short plain-text message.
 *
 * @param request The export request.
 * @param sink Receives the decoded spans of a trace export that holds any.
 * @param options The body size limit.
 * @returns The response to send.
 * @throws {RangeError} When `maxBodyBytes` is not a positive integer.
 * @example
 * ```ts
 * import { receiveOtlp, type SpanRecord } from "./otlp_traces.ts";
 *
 * const spans: SpanRecord[] = [];
 * Deno.serve({ hostname: "127.0.0.1", port: 4318 }, (request) =>
 *   receiveOtlp(request, (received) => spans.push(...received)));
 * ```
 */
export async function receiveOtlp(
  request: Request,
  sink: (spans: SpanRecord[]) => void,
  options: ReceiveOtlpOptions = {},
): Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_OTLP_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const signal = _SIGNALS[new URL(request.url).pathname];
  if (signal === undefined) {
    return await _refuse(request, 404, "Not an OTLP path: use /v1/traces, /v1/logs or /v1/metrics");
  }
  if (request.method !== "POST") {
    return await _refuse(request, 405, "OTLP exports are POST requests", { allow: "POST" });
  }
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  const format = mediaType === undefined ? undefined : _FORMATS[mediaType];
  if (format === undefined) {
    return await _refuse(
      request,
      415,
      `Unsupported content type "${
        mediaType ?? ""
      }": send application/x-protobuf or application/json`,
    );
  }
  const encoding = request.headers.get("content-encoding")?.trim().toLowerCase() ?? "identity";
  if (encoding !== "identity" && encoding !== "gzip") {
    return await _refuse(
      request,
      415,
      `Unsupported content encoding "${encoding}": send gzip or none`,
    );
  }
  if (signal !== "traces") {
    await request.body?.cancel();
    return _accepted(format);
  }
  let spans: SpanRecord[];
  try {
    const body = await _readBody(request, encoding === "gzip", maxBodyBytes);
    if (body === undefined) {
      return _plainText(413, `The export is larger than the limit of ${maxBodyBytes} bytes`);
    }
    spans = format === "protobuf" ? decodeTraceRequest(body) : _decodeJson(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return _plainText(400, `Cannot decode the OTLP trace export (${format}): ${reason}`);
  }
  if (spans.length > 0) sink(spans);
  return _accepted(format);
}

/** A collector's empty success answer in the request's format. */
function _accepted(format: "protobuf" | "json"): Response {
  return format === "protobuf"
    ? new Response(null, { headers: { "content-type": "application/x-protobuf" } })
    : new Response("{}", { headers: { "content-type": "application/json" } });
}

/** A plain-text error answer. */
function _plainText(status: number, message: string, headers: HeadersInit = {}): Response {
  return new Response(message, {
    status,
    headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
  });
}

/** Releases the unread body and answers with an error. */
async function _refuse(
  request: Request,
  status: number,
  message: string,
  headers: HeadersInit = {},
): Promise<Response> {
  await request.body?.cancel();
  return _plainText(status, message, headers);
}

/**
 * Reads the (decompressed) body, or returns `undefined` and cancels it as
 * soon as more than `limit` bytes were declared or have come out.
 */
async function _readBody(
  request: Request,
  gzip: boolean,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (Number(request.headers.get("content-length")) > limit) {
    await request.body?.cancel();
    return undefined;
  }
  if (request.body === null) return new Uint8Array(0);
  if (!gzip && request.headers.has("content-length")) {
    // The connection's framing holds the body to its declared length, checked above.
    return new Uint8Array(await request.arrayBuffer());
  }
  const stream = gzip ? request.body.pipeThrough(new DecompressionStream("gzip")) : request.body;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Decodes an OTLP/JSON `ExportTraceServiceRequest`. */
function _decodeJson(body: Uint8Array): SpanRecord[] {
  return _spansOf(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)), _hexId);
}

/** Reads an id of `size` bytes as lowercase hex; `""` when absent or empty. */
type _IdReader = (value: unknown, size: number) => string;

/** Flattens the spans of a request in OTLP/JSON shape, its ids read by `readId`. */
function _spansOf(request: unknown, readId: _IdReader): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (const resourceSpans of _list(_object(request).resourceSpans)) {
    const { resource, scopeSpans } = _object(resourceSpans);
    const attributes = _absent(resource) ? {} : _attributes(_object(resource).attributes);
    const service = attributes["service.name"] || "unknown";
    for (const scope of _list(scopeSpans)) {
      for (const span of _list(_object(scope).spans)) {
        spans.push(_span(_object(span), service, readId));
      }
    }
  }
  return spans;
}

/** One span of a request. */
function _span(span: Record<string, unknown>, service: string, readId: _IdReader): SpanRecord {
  const traceId = readId(span.traceId, 16);
  const spanId = readId(span.spanId, 8);
  if (_isZero(traceId) || _isZero(spanId)) throw new TypeError("a span has no trace or span id");
  const parentSpanId = readId(span.parentSpanId, 8);
  const start = _nanos(span.startTimeUnixNano);
  const end = _nanos(span.endTimeUnixNano);
  const status = _absent(span.status) ? {} : _object(span.status);
  return {
    traceId,
    spanId,
    parentSpanId: _isZero(parentSpanId) ? null : parentSpanId,
    name: _string(span.name),
    service,
    kind: _KINDS[_enum(span.kind)] ?? "unspecified",
    startMs: Number(start / 1_000n) / 1_000,
    durationMs: end > start ? Number(end - start) / 1_000_000 : 0,
    status: _STATUSES[_enum(status.code)] ?? "unset",
    statusMessage: _string(status.message),
    attributes: _attributes(span.attributes),
  };
}

/** Whether an id is empty or all zeroes (invalid in OTLP). */
function _isZero(id: string): boolean {
  return /^0*$/.test(id);
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
