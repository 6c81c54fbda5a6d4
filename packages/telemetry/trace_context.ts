import { type Context, context, ROOT_CONTEXT, type TextMapGetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

const propagator = new W3CTraceContextPropagator();

const headersGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
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
