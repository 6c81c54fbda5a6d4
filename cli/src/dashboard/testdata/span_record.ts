import type { SpanRecord } from "../span_record.ts";

/**
 * A span for the dashboard's tests: an internal span of service `api` that
 * starts at 1 s past the epoch and lasts 10 ms, unless `fields` says otherwise.
 *
 * @param traceId Its trace's id.
 * @param id A short span id, padded to 16 hex digits.
 * @param fields What differs.
 * @returns The span.
 */
export function testSpan(
  traceId: string,
  id: string,
  fields: Partial<SpanRecord> = {},
): SpanRecord {
  return {
    traceId,
    spanId: id.padStart(16, "0"),
    parentSpanId: null,
    name: `span ${id}`,
    service: "api",
    kind: "internal",
    startMs: 1_000,
    durationMs: 10,
    status: "unset",
    statusMessage: "",
    attributes: {},
    ...fields,
  };
}
