import { equal, ok } from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { spansNamed, useInMemoryTracing } from "../../tests/support/tracing.ts";
import {
  extractTraceContext,
  injectTraceContext,
  isDenoTelemetryEnabled,
  requestTraceContext,
  withSpan,
} from "./mod.ts";

useInMemoryTracing();
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";

Deno.test("extractTraceContext() reads a W3C traceparent", () => {
  const parent = extractTraceContext(
    new Headers({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }),
  );
  const spanContext = trace.getSpanContext(parent);
  equal(spanContext?.traceId, TRACE_ID);
  equal(spanContext?.spanId, PARENT_ID);
  equal(spanContext?.isRemote, true);
});

Deno.test("extractTraceContext() ignores missing and malformed headers", () => {
  equal(trace.getSpanContext(extractTraceContext(new Headers())), undefined);
  equal(
    trace.getSpanContext(extractTraceContext(new Headers({ traceparent: "00-zz-yy-01" }))),
    undefined,
  );
});

Deno.test("spans started under an extracted context continue the caller's trace", async () => {
  const parent = extractTraceContext(
    new Headers({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }),
  );
  await withSpan("handle", () => {}, { parent });
  const [span] = spansNamed("handle");
  equal(span!.spanContext().traceId, TRACE_ID);
  equal(span!.parentSpanContext?.spanId, PARENT_ID);
});

Deno.test("injectTraceContext() writes the active span as traceparent", async () => {
  let headers = new Headers();
  let spanId = "";
  await withSpan("call", (span) => {
    spanId = span.spanContext().spanId;
    headers = injectTraceContext(new Headers());
  });
  const value = headers.get("traceparent");
  ok(value !== null);
  const [version, traceId, parentId, flags] = value.split("-");
  equal(version, "00");
  equal(traceId, spansNamed("call")[0]!.spanContext().traceId);
  equal(parentId, spanId);
  equal(flags, "01");
});

Deno.test("injectTraceContext() writes nothing outside a span", () => {
  equal(injectTraceContext(new Headers()).get("traceparent"), null);
});

Deno.test("extractTraceContext() takes the nearest hop when two traceparents were joined", () => {
  const first = `00-${TRACE_ID}-${PARENT_ID}-01`;
  const second = `00-${TRACE_ID}-c589e726616ea4ff-01`;
  const parent = extractTraceContext(new Headers({ traceparent: `${first}, ${second}` }));
  equal(trace.getSpanContext(parent)?.spanId, "c589e726616ea4ff");
});

Deno.test("requestTraceContext() prefers a server span the runtime already started", async () => {
  const headers = new Headers({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
  equal(trace.getSpanContext(requestTraceContext(headers))?.spanId, PARENT_ID);
  await withSpan("runtime server span", (span) => {
    const parent = requestTraceContext(headers);
    equal(trace.getSpanContext(parent)?.spanId, span.spanContext().spanId);
  });
});

Deno.test("isDenoTelemetryEnabled() reads OTEL_DENO", () => {
  const before = Deno.env.get("OTEL_DENO");
  try {
    Deno.env.set("OTEL_DENO", "true");
    equal(isDenoTelemetryEnabled(), true);
    Deno.env.set("OTEL_DENO", "false");
    equal(isDenoTelemetryEnabled(), false);
  } finally {
    if (before === undefined) Deno.env.delete("OTEL_DENO");
    else Deno.env.set("OTEL_DENO", before);
  }
});
