import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/telemetry exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "configureTelemetry",
    "type ConfigureTelemetryOptions",
    "createLogger",
    "type CreateLoggerOptions",
    "extractTraceContext",
    "getTracer",
    "injectTraceContext",
    "isDenoTelemetryEnabled",
    "type LogFields",
    "type Logger",
    "type LogLevel",
    "type LogSink",
    "recordSpanError",
    "type RecordSpanErrorOptions",
    "requestTraceContext",
    "spanAttributes",
    "spanName",
    "TRACER_NAME",
    "withSpan",
    "type WithSpanOptions",
  ]);
});
