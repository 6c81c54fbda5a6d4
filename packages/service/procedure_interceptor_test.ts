import { deepEqual, equal, ok } from "node:assert/strict";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { configureTelemetry } from "@netscript/telemetry";
import { spansNamed, useInMemoryTracing } from "../../tests/support/tracing.ts";
import { captureLogger } from "./testdata/capture_logger.ts";
import { createUsersService } from "./testdata/users_service.ts";

const exporter = useInMemoryTracing();
const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const PARENT_ID = "b7ad6b7169203331";

Deno.test("every procedure call runs in a span named after the procedure path", async (t) => {
  const service = createUsersService({ logRequests: false });
  for (
    const [label, request] of [
      ["REST", new Request("http://s/api/users/1")],
      [
        "RPC",
        new Request("http://s/api/rpc/users/get", {
          method: "POST",
          body: JSON.stringify({ json: { id: "1" } }),
          headers: { "content-type": "application/json" },
        }),
      ],
    ] as const
  ) {
    await t.step(label, async () => {
      exporter.reset();
      equal((await service.fetch(request)).status, 200);
      const [span] = spansNamed("users.get");
      ok(span, "a users.get span was exported");
      equal(span.kind, SpanKind.SERVER);
      deepEqual(span.attributes, {
        "rpc.system": "orpc",
        "rpc.service": "users",
        "rpc.method": "users.get",
        "netscript.service": "users",
        "netscript.procedure": "users.get",
      });
      equal(span.status.code, SpanStatusCode.UNSET);
    });
  }
});

Deno.test("an incoming traceparent continues the caller's trace", async () => {
  exporter.reset();
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger });
  await service.fetch(
    new Request("http://s/api/users?limit=1", {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    }),
  );
  const [span] = spansNamed("users.list");
  equal(span!.spanContext().traceId, TRACE_ID);
  equal(span!.parentSpanContext?.spanId, PARENT_ID);
  const line = records.find((r) => r.msg === "request");
  equal(line?.traceId, TRACE_ID);
});

Deno.test("without a traceparent each request starts a new trace", async () => {
  exporter.reset();
  const service = createUsersService({ logRequests: false });
  await service.fetch(new Request("http://s/api/users/1"));
  await service.fetch(new Request("http://s/api/users/2"));
  const [first, second] = spansNamed("users.get");
  equal(first!.parentSpanContext, undefined);
  ok(first!.spanContext().traceId !== second!.spanContext().traceId);
});

Deno.test("a failing procedure's span has error status and the error code", async (t) => {
  const service = createUsersService({ logRequests: false, logger: captureLogger().logger });
  await t.step("a declared error (NOT_FOUND)", async () => {
    exporter.reset();
    equal((await service.fetch(new Request("http://s/api/users/99"))).status, 404);
    const [span] = spansNamed("users.get");
    equal(span!.status.code, SpanStatusCode.ERROR);
    equal(span!.status.message, "NOT_FOUND");
    equal(span!.attributes["error.type"], "NOT_FOUND");
    equal(span!.attributes["rpc.orpc.status"], 404);
  });
  await t.step("an unexpected error", async () => {
    exporter.reset();
    equal((await service.fetch(new Request("http://s/api/fail"))).status, 500);
    const [span] = spansNamed("fail");
    equal(span!.status.code, SpanStatusCode.ERROR);
    equal(span!.events[0]?.name, "exception");
  });
  await t.step("invalid input", async () => {
    exporter.reset();
    equal((await service.fetch(new Request("http://s/api/users?limit=0"))).status, 400);
    equal(spansNamed("users.list")[0]!.attributes["error.type"], "BAD_REQUEST");
  });
});

Deno.test("handler code runs inside the procedure span", async () => {
  exporter.reset();
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger });
  await service.fetch(new Request("http://s/api/fail"));
  const [span] = spansNamed("fail");
  const failure = records.find((r) => r.msg === "procedure failed");
  equal(failure?.traceId, span!.spanContext().traceId);
  equal(failure?.spanId, span!.spanContext().spanId);
});

Deno.test("procedure spans carry the process's telemetry namespace when one is configured", async () => {
  configureTelemetry({ namespace: "workers" });
  try {
    exporter.reset();
    const service = createUsersService({ logRequests: false });
    equal((await service.fetch(new Request("http://s/api/users/1"))).status, 200);
    const [span] = spansNamed("workers.users.get");
    ok(span, "the span is named workers.users.get");
    equal(span.attributes["service.namespace"], "workers");
    equal(span.attributes["rpc.method"], "users.get");
  } finally {
    configureTelemetry({});
  }
});
