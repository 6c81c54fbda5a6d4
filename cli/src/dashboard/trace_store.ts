/**
 * The spans the processes of `netscript dev` exported, kept in memory for
 * the dashboard's trace list and waterfall: bounded by span and trace count,
 * the oldest traces (by when their first span arrived) evicted whole.
 *
 * @module
 */
import { spanLabel } from "./span_label.ts";
import type { SpanRecord } from "./span_record.ts";

/** The default {@linkcode CreateTraceStoreOptions.maxSpans}: spans kept across all traces. */
export const DEFAULT_MAX_SPANS = 20_000;

/** The default {@linkcode CreateTraceStoreOptions.maxTraces}: traces kept. */
export const DEFAULT_MAX_TRACES = 2_000;

/** Attributes kept per span: the first 64, the rest dropped. */
export const MAX_SPAN_ATTRIBUTES = 64;

/**
 * The longest text kept of an attribute value, a span name or a status
 * message, in UTF-16 code units (1 KiB of ASCII); longer text is cut and
 * ends with `…`.
 */
export const MAX_SPAN_TEXT_LENGTH = 1_024;

/** Options of {@linkcode createTraceStore}. */
export interface CreateTraceStoreOptions {
  /**
   * The most spans kept, across all traces. A single trace keeps at most
   * this many; its later spans are dropped.
   * @default {20000}
   */
  maxSpans?: number;
  /**
   * The most traces kept.
   * @default {2000}
   */
  maxTraces?: number;
}

/** One trace as the trace list shows it. */
export interface TraceSummary {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** The root span's label (see `spanLabel`), or the earliest span's while the root has not arrived. */
  readonly rootName: string;
  /** The service of that same span. */
  readonly service: string;
  /** The earliest start of its spans, in milliseconds since the epoch. */
  readonly startMs: number;
  /** From the earliest start to the latest end of its spans, in milliseconds. */
  readonly durationMs: number;
  /** How many spans of it are kept. */
  readonly spanCount: number;
  /** The services its spans came from, sorted. */
  readonly services: string[];
  /** `error` when any of its spans failed. */
  readonly status: "ok" | "error";
}

/** Which traces {@linkcode TraceStore.list} returns. */
export interface TraceListFilter {
  /** Only traces with a span of this service. */
  service?: string;
  /** At most this many, the newest. */
  limit?: number;
}

/** The kept spans, grouped by trace. */
export interface TraceStore {
  /**
   * Keeps spans, in any order and over any number of calls; a span whose id
   * is already kept replaces it. Then evicts the oldest traces while either
   * limit is passed.
   *
   * @param spans The spans of one export.
   */
  add(spans: readonly SpanRecord[]): void;
  /**
   * Summarizes the kept traces, newest start first.
   *
   * @param filter Which traces, and how many.
   * @returns The summaries.
   * @throws {RangeError} When `limit` is not a non-negative integer.
   */
  list(filter?: TraceListFilter): TraceSummary[];
  /**
   * The spans of one trace, by start; at an equal start a parent comes
   * before its children.
   *
   * @param traceId 32 lowercase hex digits.
   * @returns The spans, or `undefined` when the trace is not kept.
   */
  get(traceId: string): readonly SpanRecord[] | undefined;
  /**
   * Every service with a kept span.
   *
   * @returns The names, sorted.
   */
  services(): string[];
  /**
   * Measures what is kept.
   *
   * @returns How many traces and spans.
   */
  size(): { traces: number; spans: number };
}

/**
 * Creates an empty trace store. Each kept span is a copy with its
 * attributes cut to {@linkcode MAX_SPAN_ATTRIBUTES} and its texts to
 * {@linkcode MAX_SPAN_TEXT_LENGTH}. A late span of an evicted trace starts
 * that trace again, as a new one.
 *
 * @param options The limits.
 * @returns The store.
 * @throws {RangeError} When a limit is not a positive integer.
 * @example
 * ```ts
 * import { createTraceStore } from "./trace_store.ts";
 *
 * const store = createTraceStore({ maxTraces: 500 });
 * store.add([]);
 * console.log(store.list({ limit: 50 }), store.size());
 * ```
 */
export function createTraceStore(options: CreateTraceStoreOptions = {}): TraceStore {
  const maxSpans = _positive("maxSpans", options.maxSpans ?? DEFAULT_MAX_SPANS);
  const maxTraces = _positive("maxTraces", options.maxTraces ?? DEFAULT_MAX_TRACES);
  /** Traces by id, in the order their first span arrived; spans by id. */
  const traces = new Map<string, Map<string, SpanRecord>>();
  let spanCount = 0;
  return {
    add(spans) {
      for (const span of spans) {
        let trace = traces.get(span.traceId);
        if (trace === undefined) traces.set(span.traceId, trace = new Map());
        if (!trace.has(span.spanId)) {
          if (trace.size >= maxSpans) continue;
          spanCount++;
        }
        trace.set(span.spanId, _compact(span));
      }
      for (const [traceId, trace] of traces) {
        if (traces.size <= maxTraces && spanCount <= maxSpans) break;
        traces.delete(traceId);
        spanCount -= trace.size;
      }
    },
    list(filter = {}) {
      const { service, limit } = filter;
      if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
        throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
      }
      const summaries: TraceSummary[] = [];
      for (const [traceId, trace] of traces) {
        const summary = _summarize(traceId, [...trace.values()]);
        if (service === undefined || summary.services.includes(service)) summaries.push(summary);
      }
      summaries.reverse().sort((a, b) => b.startMs - a.startMs);
      return limit === undefined ? summaries : summaries.slice(0, limit);
    },
    get(traceId) {
      const trace = traces.get(traceId);
      return trace === undefined ? undefined : _waterfall([...trace.values()]);
    },
    services() {
      const names = new Set<string>();
      for (const trace of traces.values()) {
        for (const span of trace.values()) names.add(span.service);
      }
      return [...names].sort();
    },
    size() {
      return { traces: traces.size, spans: spanCount };
    },
  };
}

/** The summary of a trace's spans (at least one). */
function _summarize(traceId: string, spans: SpanRecord[]): TraceSummary {
  let earliest = spans[0] as SpanRecord;
  let root: SpanRecord | undefined;
  let end = -Infinity;
  let failed = false;
  const services = new Set<string>();
  for (const span of spans) {
    if (span.startMs < earliest.startMs) earliest = span;
    if (span.parentSpanId === null && (root === undefined || span.startMs < root.startMs)) {
      root = span;
    }
    end = Math.max(end, span.startMs + span.durationMs);
    failed ||= span.status === "error";
    services.add(span.service);
  }
  const head = root ?? earliest;
  return {
    traceId,
    rootName: spanLabel(head),
    service: head.service,
    startMs: earliest.startMs,
    durationMs: end - earliest.startMs,
    spanCount: spans.length,
    services: [...services].sort(),
    status: failed ? "error" : "ok",
  };
}

/** Sorts a trace's spans by start, then by depth (a parent before its children). */
function _waterfall(spans: SpanRecord[]): SpanRecord[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const depths = new Map<string, number>();
  for (const span of spans) {
    // Walk up to a span of known depth (or a root, or a cycle of parent ids), then number down.
    const chain = new Set<string>();
    let depth = -1;
    for (
      let current: SpanRecord | undefined = span;
      current !== undefined && !chain.has(current.spanId);
      current = current.parentSpanId === null ? undefined : byId.get(current.parentSpanId)
    ) {
      const known = depths.get(current.spanId);
      if (known !== undefined) {
        depth = known;
        break;
      }
      chain.add(current.spanId);
    }
    for (const id of [...chain].reverse()) depths.set(id, ++depth);
  }
  const depthOf = (span: SpanRecord) => depths.get(span.spanId) ?? 0;
  return spans.sort((a, b) => a.startMs - b.startMs || depthOf(a) - depthOf(b));
}

/** The span itself when it is within the limits, else a copy with its attributes and texts cut to them. */
function _compact(span: SpanRecord): SpanRecord {
  if (_withinLimits(span)) return span;
  const attributes = Object.entries(span.attributes)
    .slice(0, MAX_SPAN_ATTRIBUTES)
    .map(([key, value]) => [key, _cut(value)]);
  return {
    ...span,
    name: _cut(span.name),
    statusMessage: _cut(span.statusMessage),
    attributes: Object.fromEntries(attributes),
  };
}

/** Whether nothing of a span needs cutting. */
function _withinLimits(span: SpanRecord): boolean {
  if (span.name.length > MAX_SPAN_TEXT_LENGTH) return false;
  if (span.statusMessage.length > MAX_SPAN_TEXT_LENGTH) return false;
  let count = 0;
  for (const key in span.attributes) {
    if (++count > MAX_SPAN_ATTRIBUTES) return false;
    if (span.attributes[key]!.length > MAX_SPAN_TEXT_LENGTH) return false;
  }
  return true;
}

/** `text` cut to {@linkcode MAX_SPAN_TEXT_LENGTH} code units, ending with `…` when cut. */
function _cut(text: string): string {
  if (text.length <= MAX_SPAN_TEXT_LENGTH) return text;
  let end = MAX_SPAN_TEXT_LENGTH - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  return `${text.slice(0, end)}…`;
}

/** Checks that a limit is a positive integer. */
function _positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
