import { deepEqual, equal, ok } from "node:assert/strict";
import { createLogStore } from "./log_store.ts";
import { logFilterFrom, renderLogRow } from "./logs_view.ts";
import type { SpanRecord } from "./span_record.ts";
import { formatBytes, formatUptime } from "./resources_view.ts";
import { formatDuration, renderWaterfall } from "./traces_view.ts";
import { testSpan } from "./testdata/span_record.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

/** A span of {@linkcode TRACE} with id `id` (padded to 16 hex digits). */
function span(id: string, fields: Partial<SpanRecord> = {}): SpanRecord {
  return testSpan(TRACE, id, fields);
}

/** The waterfall's rows as `[indent in px, summary text]`, top to bottom. */
function waterfallRows(markup: string): [number, string][] {
  return [...markup.matchAll(/padding-left: (\d+)px">\s*<details>\s*<summary>([^<]*)/g)].map((
    match,
  ) => [Number(match[1]), match[2]!.trim()]);
}

Deno.test("renderWaterfall() indents each span under its parent, and a span without its parent is a root", () => {
  const spans = [
    span("a", { name: "handle order", startMs: 1_000, durationMs: 100 }),
    span("b", { name: "load", parentSpanId: "a".padStart(16, "0"), startMs: 1_010 }),
    span("c", { name: "query", parentSpanId: "b".padStart(16, "0"), startMs: 1_012 }),
    span("d", { name: "save", parentSpanId: "a".padStart(16, "0"), startMs: 1_050 }),
    span("e", { name: "late", parentSpanId: "f".padStart(16, "0"), startMs: 1_060 }),
  ];
  const markup = renderWaterfall(TRACE, spans).value;
  deepEqual(waterfallRows(markup), [
    [8, "handle order"],
    [24, "load"],
    [40, "query"],
    [24, "save"],
    [8, "late"],
  ]);
  ok(markup.includes(`<span class="mono">${TRACE}</span> · 100.0 ms · 5 spans`), markup);
  ok(markup.includes(`href="/logs?trace=${TRACE}"`));
  ok(markup.includes('style="left: 50.00%; width: 10.00%"'), "save starts halfway, lasts a tenth");
});

Deno.test("renderWaterfall() marks a failed span with its status message, and escapes what spans carry", () => {
  const markup = renderWaterfall(TRACE, [
    span("a", { name: "<b>root</b>", durationMs: 40, attributes: { "db.query": "a < b" } }),
    span("b", {
      parentSpanId: "a".padStart(16, "0"),
      status: "error",
      statusMessage: "timed out",
      durationMs: 20,
    }),
  ]).value;
  ok(markup.includes('<span class="state state-error">error: timed out</span>'), markup);
  equal(markup.match(/class="error"/g)?.length, 1, "only the failed span's bar is red");
  ok(markup.includes("&lt;b&gt;root&lt;/b&gt;"));
  ok(markup.includes("a &lt; b"));
  ok(!markup.includes("<b>root"));
  const http = renderWaterfall(TRACE, [
    span("a", { name: "POST", kind: "server", attributes: { "http.route": "/api/jobs" } }),
  ]).value;
  deepEqual(waterfallRows(http), [[8, "POST /api/jobs"]], "an HTTP span is named by its route");
  const unmarked = renderWaterfall(TRACE, [span("a", { status: "error" })]).value;
  ok(unmarked.includes('<span class="state state-error">error</span>'), unmarked);
});

Deno.test("formatDuration() shows hundredths below 1 ms, tenths below 1 s, then seconds", () => {
  equal(formatDuration(0), "0.00 ms");
  equal(formatDuration(0.4234), "0.42 ms");
  equal(formatDuration(1), "1.0 ms");
  equal(formatDuration(12.34), "12.3 ms");
  equal(formatDuration(999.94), "999.9 ms");
  equal(formatDuration(1_000), "1.00 s");
  equal(formatDuration(1_254), "1.25 s");
  equal(formatDuration(90_000), "90.00 s");
});

Deno.test("formatUptime() shows the largest two units, and never a negative time", () => {
  equal(formatUptime(0), "0s");
  equal(formatUptime(999), "0s");
  equal(formatUptime(59_999), "59s");
  equal(formatUptime(60_000), "1m 0s");
  equal(formatUptime(192_000), "3m 12s");
  equal(formatUptime(3_599_999), "59m 59s");
  equal(formatUptime(3_600_000), "1h 0m");
  equal(formatUptime(26 * 3_600_000 + 5 * 60_000 + 7_000), "26h 5m");
  equal(formatUptime(-5_000), "0s", "a clock that went back");
});

Deno.test("formatBytes() shows MiB with one decimal", () => {
  equal(formatBytes(0), "0.0 MiB");
  equal(formatBytes(1_048_576), "1.0 MiB");
  equal(formatBytes(50_646_221), "48.3 MiB");
  equal(formatBytes(3 * 1_073_741_824), "3072.0 MiB");
});

Deno.test("logFilterFrom() reads resource, level, text and trace from a query", () => {
  deepEqual(
    logFilterFrom(
      new URLSearchParams({
        resource: "users",
        level: "warn",
        text: "Timeout",
        trace: TRACE.toUpperCase(),
        after: "12",
        limit: "3",
      }),
    ),
    { resource: "users", level: "warn", text: "Timeout", traceId: TRACE },
  );
  deepEqual(logFilterFrom(new URLSearchParams()), {});
  deepEqual(
    logFilterFrom(new URLSearchParams({ resource: "", level: "", text: "", trace: "" })),
    {},
    "empty fields filter nothing",
  );
  for (const level of ["fatal", "WARN", "trace", "0"]) {
    deepEqual(logFilterFrom(new URLSearchParams({ level })), {}, level);
  }
  for (const level of ["debug", "info", "warn", "error"]) {
    deepEqual(logFilterFrom(new URLSearchParams({ level })), { level }, level);
  }
});

Deno.test("renderLogRow() shows a JSON line's message and its other fields, escaped", () => {
  const logs = createLogStore();
  const entry = logs.add(
    "orders",
    "stderr",
    JSON.stringify({
      time: "2026-01-02T03:04:05.678Z",
      level: "error",
      service: "orders",
      msg: "payment <failed>",
      traceId: TRACE,
      spanId: "b7ad6b7169203331",
      orderId: "o-<1>",
      amount: 12.5,
      card: { last4: "4242" },
    }),
  );
  const row = renderLogRow(entry).value;
  ok(row.includes('data-seq="1"'), row);
  ok(row.includes('class="level-error"'));
  ok(row.includes(">03:04:05.678<"));
  ok(row.includes("payment &lt;failed&gt;"));
  for (const shown of ["orderId", "o-&lt;1&gt;", "amount", "12.5", "card"]) {
    ok(row.includes(shown), `${shown} in ${row}`);
  }
  ok(row.includes("{&quot;last4&quot;:&quot;4242&quot;}"), "a structured field as JSON");
  for (const hidden of ["msg", "spanId", "b7ad6b7169203331", "service", "2026-01-02"]) {
    ok(!row.includes(hidden), `${hidden} is not repeated in ${row}`);
  }
});

Deno.test("renderLogRow() links a line to its trace only when it names one", () => {
  const logs = createLogStore();
  const traced = renderLogRow(
    logs.add("orders", "stdout", JSON.stringify({ msg: "placed", traceId: TRACE })),
  ).value;
  ok(traced.includes(`href="/traces/${TRACE}"`), traced);
  ok(traced.includes(`>${TRACE.slice(0, 8)}</a>`));
  for (const text of ["Listening on http://127.0.0.1:8000/", '{"msg":"no trace"}', "{not json"]) {
    const row = renderLogRow(logs.add("orders", "stdout", text)).value;
    ok(!row.includes("/traces/"), row);
    ok(!row.includes("<a "), row);
  }
  const plain = renderLogRow(logs.add("orders", "stdout", "{not json")).value;
  ok(plain.includes("<pre>{not json</pre>"), plain);
});
