/**
 * Tracing and logging helpers on `@opentelemetry/api`, used by every NetScript
 * service and plugin: spans that record failures, W3C trace-context
 * propagation over HTTP headers, and structured JSON logs that carry the
 * active trace id.
 *
 * Spans are exported by whatever provider is registered globally: run with
 * `OTEL_DENO=true` and Deno ships them over OTLP; without a provider they
 * cost next to nothing. `configureTelemetry({ namespace })` prefixes the
 * process's span names, as a plugin's processes do with its namespace.
 *
 * @example
 * ```ts
 * import { createLogger, withSpan } from "@netscript/telemetry";
 *
 * const log = createLogger({ service: "billing" });
 * await withSpan("invoice.send", () => log.info("sending invoice"));
 * ```
 *
 * @module
 */

export {
  configureTelemetry,
  type ConfigureTelemetryOptions,
  spanAttributes,
  spanName,
} from "./configure_telemetry.ts";
export {
  createLogger,
  type CreateLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
  type LogSink,
} from "./logger.ts";
export {
  getTracer,
  recordSpanError,
  type RecordSpanErrorOptions,
  TRACER_NAME,
  withSpan,
  type WithSpanOptions,
} from "./span.ts";
export {
  extractTraceContext,
  injectTraceContext,
  isDenoTelemetryEnabled,
  requestTraceContext,
} from "./trace_context.ts";
