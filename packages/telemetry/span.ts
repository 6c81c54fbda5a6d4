import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from "@opentelemetry/api";
import { spanAttributes, spanName } from "./configure_telemetry.ts";

/** The instrumentation scope name of every span NetScript starts. */
export const TRACER_NAME = "netscript";

/**
 * Returns the tracer NetScript packages start spans with. It resolves the
 * globally registered provider on every call, so a provider registered later
 * (Deno's `OTEL_DENO=true`, or a test's in-memory one) is picked up.
 *
 * @returns The `netscript` tracer of the global provider.
 *
 * @example
 * ```ts
 * import { getTracer } from "@netscript/telemetry";
 *
 * getTracer().startSpan("work").end();
 * ```
 */
export function getTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** Options of {@linkcode withSpan}. */
export interface WithSpanOptions {
  /**
   * Attributes set on the span when it starts.
   * @default {{}}
   */
  attributes?: Attributes;
  /**
   * The span kind.
   * @default {SpanKind.INTERNAL}
   */
  kind?: SpanKind;
  /**
   * The parent context; the active one when absent.
   * @default {context.active()}
   */
  parent?: Context;
  /**
   * Decides whether a thrown error marks the span as failed. Returning
   * `false` still records the exception as an event.
   * @default {every error fails the span}
   */
  isFailure?: (error: unknown) => boolean;
}

/**
 * Runs `fn` inside a new active span and ends the span when `fn` settles.
 * A thrown error is recorded on the span, sets its status to `ERROR` and is
 * rethrown unchanged. When the process has a namespace
 * ({@linkcode configureTelemetry}), the span is named `<namespace>.<name>`
 * and carries `service.namespace` and the configured attributes.
 *
 * @param name The span name, without the namespace.
 * @param fn The work; receives the span to add attributes or events.
 * @param options Attributes, kind, parent and failure policy.
 * @returns Whatever `fn` returns.
 *
 * @example
 * ```ts
 * import { withSpan } from "@netscript/telemetry";
 *
 * const total = await withSpan("sum", (span) => {
 *   span.setAttribute("count", 3);
 *   return 1 + 2 + 3;
 * });
 * console.log(total);
 * ```
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => T | Promise<T>,
  options: WithSpanOptions = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  const common = spanAttributes();
  return await getTracer().startActiveSpan(
    spanName(name),
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes === undefined ? common : { ...common, ...options.attributes },
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        recordSpanError(span, error, { failed: options.isFailure?.(error) ?? true });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Options of {@linkcode recordSpanError}. */
export interface RecordSpanErrorOptions {
  /**
   * Whether the span's status becomes `ERROR`.
   * @default {true}
   */
  failed?: boolean;
}

/**
 * Records an error on a span: an exception event, an `error.type` attribute
 * (the error's `code` when it has a string one, else its name) and, unless
 * `failed` is false, the `ERROR` status with the error's message.
 *
 * @param span The span to mark.
 * @param error What was thrown.
 * @param options Whether the span counts as failed.
 *
 * @example
 * ```ts
 * import { getTracer, recordSpanError } from "@netscript/telemetry";
 *
 * const span = getTracer().startSpan("work");
 * recordSpanError(span, new Error("boom"));
 * span.end();
 * ```
 */
export function recordSpanError(
  span: Span,
  error: unknown,
  options: RecordSpanErrorOptions = {},
): void {
  const asError = error instanceof Error ? error : new Error(String(error));
  span.recordException(asError);
  const code = (error as { code?: unknown } | null)?.code;
  span.setAttribute("error.type", typeof code === "string" ? code : asError.name);
  if (options.failed ?? true) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: asError.message });
  }
}
