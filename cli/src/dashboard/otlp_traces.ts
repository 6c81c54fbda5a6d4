/**
 * The receiving end of the dashboard's traces: an OTLP/HTTP endpoint that
 * the processes of `netscript dev` export to (Deno's built-in OpenTelemetry,
 * `OTEL_DENO=true`), decoding `ExportTraceServiceRequest` bodies in protobuf
 * (`http/protobuf`) or JSON (`http/json`) into flat {@linkcode SpanRecord}s.
 *
 * @module
 */
import { decodeTraceRequestJson } from "./otlp_json.ts";
import { decodeTraceRequest } from "./otlp_protobuf.ts";
import type { SpanRecord } from "./span_record.ts";

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
 * import { receiveOtlp } from "./otlp_traces.ts";
 * import type { SpanRecord } from "./span_record.ts";
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
    spans = format === "protobuf" ? decodeTraceRequest(body) : decodeTraceRequestJson(body);
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
