import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { spansNamed, useInMemoryTracing } from "../../tests/support/tracing.ts";
import { configureTelemetry, spanName, TRACER_NAME, withSpan } from "./mod.ts";

const exporter = useInMemoryTracing();

Deno.test("withSpan() ends the span and returns the result", async () => {
  exporter.reset();
  const result = await withSpan("compute", (span) => {
    span.setAttribute("items", 2);
    return 42;
  }, { attributes: { job: "x" }, kind: SpanKind.CONSUMER });
  equal(result, 42);
  const [span] = spansNamed("compute");
  equal(span!.kind, SpanKind.CONSUMER);
  deepEqual(span!.attributes, { job: "x", items: 2 });
  equal(span!.status.code, SpanStatusCode.UNSET);
  equal(span!.instrumentationScope.name, TRACER_NAME);
});

Deno.test("withSpan() marks the span failed and rethrows the same error", async () => {
  exporter.reset();
  const boom = Object.assign(new Error("disk full"), { code: "DISK_FULL" });
  await rejects(
    withSpan("write", () => {
      throw boom;
    }),
    (error) => error === boom,
  );
  const [span] = spansNamed("write");
  equal(span!.status.code, SpanStatusCode.ERROR);
  equal(span!.status.message, "disk full");
  equal(span!.attributes["error.type"], "DISK_FULL");
  equal(span!.events[0]!.name, "exception");
});

Deno.test("withSpan() records but does not fail the span when isFailure says no", async () => {
  exporter.reset();
  await rejects(withSpan("lookup", () => {
    throw new Error("not found");
  }, { isFailure: () => false }));
  const [span] = spansNamed("lookup");
  equal(span!.status.code, SpanStatusCode.UNSET);
  equal(span!.events.length, 1);
});

Deno.test("withSpan() nests under the active span", async () => {
  exporter.reset();
  await withSpan("parent", async () => {
    await withSpan("child", () => {});
  });
  const [parent] = spansNamed("parent");
  const [child] = spansNamed("child");
  equal(child!.spanContext().traceId, parent!.spanContext().traceId);
  equal(child!.parentSpanContext?.spanId, parent!.spanContext().spanId);
  equal(trace.getActiveSpan(), undefined);
});

Deno.test("withSpan() names spans behind the configured namespace and labels them", async (t) => {
  try {
    await t.step("with a namespace", async () => {
      configureTelemetry({ namespace: "workers", attributes: { "deployment.tier": "small" } });
      exporter.reset();
      await withSpan("job greet", () => {}, { attributes: { job: "greet" } });
      const [span] = spansNamed("workers.job greet");
      ok(span, "the span is named workers.job greet");
      deepEqual(span.attributes, {
        "deployment.tier": "small",
        "service.namespace": "workers",
        job: "greet",
      });
    });
    await t.step("a name that already carries the namespace keeps it once", async () => {
      exporter.reset();
      await withSpan("workers.tick", () => {});
      equal(spansNamed("workers.tick").length, 1);
    });
    await t.step("without one again", async () => {
      configureTelemetry({});
      exporter.reset();
      await withSpan("job greet", () => {});
      equal(spansNamed("job greet").length, 1);
      deepEqual(spansNamed("job greet")[0]!.attributes, {});
    });
  } finally {
    configureTelemetry({});
  }
});

Deno.test("configureTelemetry() refuses a namespace that cannot prefix span names", () => {
  for (const bad of ["", "has space", "1workers", "x".repeat(64)]) {
    throws(() => configureTelemetry({ namespace: bad }), TypeError, JSON.stringify(bad));
  }
  equal(spanName("plain"), "plain");
});
