import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import type { SpanRecord } from "./span_record.ts";
import {
  createTraceStore,
  DEFAULT_MAX_SPANS,
  DEFAULT_MAX_TRACES,
  MAX_SPAN_ATTRIBUTES,
  MAX_SPAN_TEXT_LENGTH,
} from "./trace_store.ts";
import { testSpan } from "./testdata/span_record.ts";

/** A 32-digit trace id ending in `n`. */
function traceId(n: number): string {
  return n.toString(16).padStart(32, "0");
}

/** A span of trace `trace` with id `id` (a short name made into 16 hex digits). */
function span(trace: number, id: string, fields: Partial<SpanRecord> = {}): SpanRecord {
  return testSpan(traceId(trace), id, fields);
}

/** A child of the span `parent` (a short id). */
function child(trace: number, id: string, parent: string, fields: Partial<SpanRecord> = {}) {
  return span(trace, id, { parentSpanId: parent.padStart(16, "0"), ...fields });
}

Deno.test("list() summarizes each trace, newest start first", () => {
  const store = createTraceStore();
  store.add([
    span(1, "a", { name: "GET /orders", startMs: 1_000, durationMs: 50, kind: "server" }),
    child(1, "b", "a", { service: "db", startMs: 1_010, durationMs: 60 }),
    child(1, "c", "a", { status: "error", startMs: 1_020, durationMs: 5 }),
    span(2, "d", { name: "tick", service: "worker", startMs: 2_000, durationMs: 1, status: "ok" }),
  ]);
  deepEqual(store.list(), [{
    traceId: traceId(2),
    rootName: "tick",
    service: "worker",
    startMs: 2_000,
    durationMs: 1,
    spanCount: 1,
    services: ["worker"],
    status: "ok",
  }, {
    traceId: traceId(1),
    rootName: "GET /orders",
    service: "api",
    startMs: 1_000,
    durationMs: 70,
    spanCount: 3,
    services: ["api", "db"],
    status: "error",
  }]);
  deepEqual(store.list({ service: "db" }).map((trace) => trace.traceId), [traceId(1)]);
  deepEqual(store.list({ limit: 1 }).map((trace) => trace.traceId), [traceId(2)]);
  deepEqual(store.list({ service: "nobody" }), []);
  deepEqual(store.services(), ["api", "db", "worker"]);
  deepEqual(store.size(), { traces: 2, spans: 4 });
});

Deno.test("a trace whose spans arrive out of order and over several exports comes together", () => {
  const store = createTraceStore();
  store.add([child(1, "c", "b", { name: "query", service: "db", startMs: 1_005, durationMs: 2 })]);
  let [summary] = store.list();
  deepEqual([summary?.rootName, summary?.service], ["query", "db"], "the earliest span stands in");
  store.add([
    child(1, "b", "a", { name: "handler", startMs: 1_005, durationMs: 4 }),
    span(2, "x", { startMs: 500 }),
  ]);
  store.add([span(1, "a", { name: "GET /", service: "gateway", startMs: 1_000, durationMs: 10 })]);
  [summary] = store.list();
  deepEqual(summary, {
    traceId: traceId(1),
    rootName: "GET /",
    service: "gateway",
    startMs: 1_000,
    durationMs: 10,
    spanCount: 3,
    services: ["api", "db", "gateway"],
    status: "ok",
  });
  deepEqual(
    store.get(traceId(1))?.map((record) => record.name),
    ["GET /", "handler", "query"],
    "by start, and the parent first at an equal start",
  );
});

Deno.test("get() returns undefined for a trace it does not keep, and survives a parent cycle", () => {
  const store = createTraceStore();
  equal(store.get(traceId(9)), undefined);
  store.add([child(1, "a", "b", { startMs: 2 }), child(1, "b", "a", { startMs: 1 })]);
  deepEqual(store.get(traceId(1))?.map((record) => record.spanId.slice(-1)), ["b", "a"]);
});

Deno.test("add() replaces a span that arrives again", () => {
  const store = createTraceStore();
  store.add([span(1, "a", { durationMs: 1 })]);
  store.add([span(1, "a", { durationMs: 7, status: "error" })]);
  deepEqual(store.size(), { traces: 1, spans: 1 });
  deepEqual(store.get(traceId(1))?.map((record) => record.durationMs), [7]);
  equal(store.list()[0]?.status, "error");
});

Deno.test("past maxTraces the trace first seen longest ago is evicted whole", () => {
  const store = createTraceStore({ maxTraces: 2 });
  store.add([span(1, "a", { startMs: 3_000 }), span(2, "b", { startMs: 100 })]);
  store.add([child(1, "c", "a", { startMs: 3_001 })]);
  store.add([span(3, "d", { startMs: 200, service: "late" })]);
  equal(store.get(traceId(1)), undefined, "trace 1 was seen first, though it starts last");
  deepEqual(store.list().map((trace) => trace.traceId), [traceId(3), traceId(2)]);
  deepEqual(store.size(), { traces: 2, spans: 2 });
  deepEqual(store.services(), ["api", "late"]);
});

Deno.test("past maxSpans the oldest traces are evicted whole until the spans fit", () => {
  const store = createTraceStore({ maxSpans: 5 });
  store.add([span(1, "a"), child(1, "b", "a"), span(2, "c"), child(2, "d", "c")]);
  store.add([span(3, "e"), child(3, "f", "e")]);
  equal(store.get(traceId(1)), undefined);
  deepEqual(store.get(traceId(2))?.length, 2);
  deepEqual(store.size(), { traces: 2, spans: 4 });
  store.add([child(3, "g", "e"), child(3, "h", "e"), child(3, "i", "e")]);
  deepEqual(store.size(), { traces: 1, spans: 5 });
  deepEqual(store.list().map((trace) => trace.traceId), [traceId(3)]);
});

Deno.test("a single trace keeps at most maxSpans spans and is not evicted for it", () => {
  const store = createTraceStore({ maxSpans: 3 });
  store.add(["a", "b", "c", "d", "e"].map((id) => span(1, id)));
  deepEqual(store.size(), { traces: 1, spans: 3 });
  deepEqual(store.get(traceId(1))?.map((record) => record.spanId.slice(-1)), ["a", "b", "c"]);
  store.add([span(1, "b", { name: "again" })]);
  ok(store.get(traceId(1))?.some((record) => record.name === "again"), "a kept span is updated");
});

Deno.test("the default limits are 20,000 spans and 2,000 traces", () => {
  equal(DEFAULT_MAX_SPANS, 20_000);
  equal(DEFAULT_MAX_TRACES, 2_000);
  const store = createTraceStore();
  store.add(Array.from({ length: DEFAULT_MAX_TRACES + 1 }, (_, index) => span(index, "a")));
  deepEqual(store.size(), { traces: DEFAULT_MAX_TRACES, spans: DEFAULT_MAX_TRACES });
  equal(store.get(traceId(0)), undefined);
  const large = Array.from(
    { length: DEFAULT_MAX_SPANS + 1 },
    (_, index) => span(99_999, `${index}`),
  );
  store.add(large);
  deepEqual(store.size(), { traces: 1, spans: DEFAULT_MAX_SPANS });
});

Deno.test("a kept span has at most 64 attributes and texts of at most 1,024 code units", () => {
  const attributes = Object.fromEntries(
    Array.from({ length: 100 }, (_, index) => [`key${index}`, `value${index}`]),
  );
  attributes.key0 = "x".repeat(5_000);
  attributes.key1 = `${"y".repeat(MAX_SPAN_TEXT_LENGTH - 2)}😀tail`;
  attributes.key2 = "z".repeat(MAX_SPAN_TEXT_LENGTH);
  const original = span(1, "a", {
    attributes,
    name: "n".repeat(2_000),
    statusMessage: "m".repeat(2_000),
  });
  const store = createTraceStore();
  store.add([original]);
  const [kept] = store.get(traceId(1)) ?? [];
  ok(kept);
  const keys = Object.keys(kept.attributes);
  equal(keys.length, MAX_SPAN_ATTRIBUTES);
  deepEqual(keys.slice(-1), [`key${MAX_SPAN_ATTRIBUTES - 1}`], "the first 64 are kept");
  equal(kept.attributes.key0, `${"x".repeat(MAX_SPAN_TEXT_LENGTH - 1)}…`);
  equal(kept.attributes.key1, `${"y".repeat(MAX_SPAN_TEXT_LENGTH - 2)}…`, "no half emoji");
  equal(kept.attributes.key2, "z".repeat(MAX_SPAN_TEXT_LENGTH), "text at the limit is whole");
  equal(kept.name.length, MAX_SPAN_TEXT_LENGTH);
  equal(kept.statusMessage.length, MAX_SPAN_TEXT_LENGTH);
  equal(Object.keys(original.attributes).length, 100, "the caller's record is left alone");
});

Deno.test("createTraceStore() and list() reject limits that are not integers", () => {
  throws(() => createTraceStore({ maxSpans: 0 }), RangeError);
  throws(() => createTraceStore({ maxTraces: 1.5 }), RangeError);
  throws(() => createTraceStore().list({ limit: -1 }), RangeError);
  deepEqual(createTraceStore().list({ limit: 0 }), []);
});

Deno.test("the store stays within its limits and its counts agree, whatever arrives", () => {
  const arbitrarySpan = fc.record({
    trace: fc.integer({ min: 1, max: 6 }),
    id: fc.integer({ min: 1, max: 12 }),
    parent: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    startMs: fc.integer({ min: 0, max: 100 }),
  });
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 5 }),
    fc.array(fc.array(arbitrarySpan, { maxLength: 10 }), { maxLength: 8 }),
    (maxSpans, maxTraces, batches) => {
      const store = createTraceStore({ maxSpans, maxTraces });
      for (const batch of batches) {
        store.add(
          batch.map(({ trace, id, parent, startMs }) =>
            parent === undefined
              ? span(trace, `${id}`, { startMs })
              : child(trace, `${id}`, `${parent}`, { startMs })
          ),
        );
        const size = store.size();
        const summaries = store.list();
        ok(size.traces <= maxTraces && size.spans <= maxSpans);
        equal(summaries.length, size.traces);
        let spans = 0;
        for (const summary of summaries) {
          const kept = store.get(summary.traceId) ?? [];
          equal(kept.length, summary.spanCount);
          ok(
            kept.every((record, index) =>
              index === 0 || kept[index - 1]!.startMs <= record.startMs
            ),
          );
          spans += kept.length;
        }
        equal(spans, size.spans);
      }
    },
  ));
});
