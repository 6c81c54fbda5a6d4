import {
  type Context,
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  type TextMapGetter,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

const propagator = new W3CTraceContextPropagator();

/**
 * Reads headers for the propagator. Two `traceparent` headers arrive joined by
 * a comma (a caller that set one and a runtime that appended its own); the
 * last one is the nearest hop, so it becomes the parent.
 */
const headersGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => {
    const value = carrier.get(key) ?? undefined;
    return key === "traceparent" && value?.includes(",") ? value.split(",").at(-1)!.trim() : value;
  },
  keys: (carrier) => [...carrier.keys()],
};

/**
 * Reads a W3C `traceparent` (and `tracestate`) from request headers, so that
 * spans started under the returned context continue the caller's trace.
 *
 * @param headers The incoming request headers.
 * @param base The context to extend.
 * @returns `base` with the caller's span context, or `base` itself when the
 * headers carry none or an invalid one.
 *
 * @example
 * ```ts
 * import { extractTraceContext } from "@netscript/telemetry";
 * import { trace } from "@opentelemetry/api";
 *
 * const headers = new Headers({
 *   traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
 * });
 * const parent = extractTraceContext(headers);
 * console.log(trace.getSpanContext(parent)?.traceId);
 * ```
 */
export function extractTraceContext(headers: Headers, base: Context = ROOT_CONTEXT): Context {
  return propagator.extract(base, headers, headersGetter);
}

/**
 * The parent context for handling an incoming request. When the runtime has
 * already started a server span for the request (Deno does with
 * `OTEL_DENO=true`, after reading `traceparent` itself), that span is the
 * parent; otherwise the caller's `traceparent` is.
 *
 * @param headers The incoming request headers.
 * @returns The context to start the request's spans under.
 *
 * @example
 * ```ts
 * import { requestTraceContext, withSpan } from "@netscript/telemetry";
 *
 * const headers = new Headers();
 * await withSpan("handle", () => {}, { parent: requestTraceContext(headers) });
 * ```
 */
export function requestTraceContext(headers: Headers): Context {
  const active = context.active();
  const span = trace.getSpanContext(active);
  if (span && isSpanContextValid(span)) return active;
  return headers.has("traceparent") ? extractTraceContext(headers) : ROOT_CONTEXT;
}

/**
 * Tells whether Deno's built-in OpenTelemetry is on (`OTEL_DENO=true`). It
 * then instruments `fetch` and writes `traceparent` itself, so code must not
 * add a second one. An unreadable variable counts as off.
 *
 * @returns `true` when `OTEL_DENO` is readable and `true` or `1` (any case).
 *
 * @example
 * ```ts
 * import { isDenoTelemetryEnabled } from "@netscript/telemetry";
 *
 * console.log(isDenoTelemetryEnabled());
 * ```
 */
export function isDenoTelemetryEnabled(): boolean {
  const readable = Deno.permissions.querySync({ name: "env", variable: "OTEL_DENO" }).state ===
    "granted";
  const value = readable ? Deno.env.get("OTEL_DENO")?.toLowerCase() : undefined;
  return value === "true" || value === "1";
}

/**
 * Writes the W3C `traceparent` (and `tracestate`) of a context into outgoing
 * headers, so the callee continues this trace.
 *
 * @param headers The outgoing request headers, modified in place.
 * @param from The context whose span is propagated.
 * @returns The same headers object.
 *
 * @example
 * ```ts
 * import { injectTraceContext } from "@netscript/telemetry";
 *
 * const headers = injectTraceContext(new Headers());
 * console.log(headers.get("traceparent")); // null outside a span
 * ```
 */
export function injectTraceContext(headers: Headers, from: Context = context.active()): Headers {
  propagator.inject(from, headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
  return headers;
}
