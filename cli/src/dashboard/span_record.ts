/**
 * The span the dashboard keeps, whichever OTLP encoding it came in, and
 * what both decoders read the same way.
 *
 * @module
 */

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

/** The OTLP span kinds, by their enum value. */
export const SPAN_KINDS: readonly SpanRecord["kind"][] = [
  "unspecified",
  "internal",
  "server",
  "client",
  "producer",
  "consumer",
];

/** The OTLP status codes, by their enum value. */
export const SPAN_STATUSES: readonly SpanRecord["status"][] = ["unset", "ok", "error"];

/**
 * Tells whether a trace or span id is empty or all zeroes, which OTLP does
 * not allow for an id and uses for "no parent".
 *
 * @param id A trace id (32 hex digits), a span id (16) or `""`.
 * @returns `true` for `""` and ids of only zeroes.
 */
export function isZeroId(id: string): boolean {
  return id === "" || id === ZERO_TRACE_ID || id === ZERO_SPAN_ID;
}

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
