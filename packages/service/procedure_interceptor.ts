import {
  type Attributes,
  type Context as OtelContext,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
} from "@opentelemetry/api";
import { ORPCError, ValidationError } from "@orpc/server";
import type { CommonErrorMap, ValidationIssue } from "@netscript/contracts";
import {
  getTracer,
  type Logger,
  recordSpanError,
  spanAttributes,
  spanName,
} from "@netscript/telemetry";
import { storeUnavailableAnswer } from "./store_unavailable.ts";

/** What the request layer hands the procedure layer through the oRPC context object. */
export interface RequestState {
  /** The caller's trace context, from `traceparent`. */
  parent: OtelContext;
  /** Set by the procedure layer: the trace id of the procedure's span. */
  traceId?: string;
  /** Set by the procedure layer: the id of the procedure's span, when it is recorded. */
  spanId?: string;
  /** Set by the procedure layer when the procedure returned: its dot-joined path. */
  returned?: string;
}

/**
 * The key under which the request layer stores its {@linkcode RequestState} in
 * the oRPC context. A symbol survives the context copies oRPC's plugins make.
 */
export const REQUEST_STATE: unique symbol = Symbol("netscript.requestState");

/** The options oRPC passes a procedure-client interceptor (the subset used here). */
interface InterceptorOptions {
  context: object;
  path: readonly string[];
  signal?: AbortSignal | undefined;
  next: () => Promise<unknown>;
}

/**
 * Builds the interceptor that wraps every procedure call: a span named after
 * the procedure path (behind the process's span-name prefix, when one is
 * configured) that continues the caller's trace, validation issues in one
 * stable shape, a store that cannot be used answered as `SERVICE_UNAVAILABLE`
 * (503), and the stack of unexpected errors logged (never sent).
 *
 * @param service The service name, set on every span.
 * @param logger Where unexpected errors are logged.
 * @returns An oRPC client interceptor.
 */
export function createProcedureInterceptor(
  service: string,
  logger: Logger,
): (options: InterceptorOptions) => Promise<unknown> {
  const spans = new Map<string, _ProcedureSpan>();
  return ({ context, path, signal, next }) => {
    const state = (context as { [REQUEST_STATE]?: RequestState })[REQUEST_STATE];
    const procedure = path.join(".");
    const base = spanAttributes();
    let span = spans.get(procedure);
    if (span === undefined || span.base !== base) {
      span = {
        base,
        name: spanName(procedure),
        options: {
          kind: SpanKind.SERVER,
          attributes: {
            ...base,
            "rpc.system": "orpc",
            "rpc.service": service,
            "rpc.method": procedure,
            "netscript.service": service,
            "netscript.procedure": procedure,
          },
        },
      };
      spans.set(procedure, span);
    }
    return getTracer().startActiveSpan(
      span.name,
      span.options,
      state?.parent ?? ROOT_CONTEXT,
      async (span) => {
        const spanContext = span.spanContext();
        if (state && isSpanContextValid(spanContext)) {
          state.traceId = spanContext.traceId;
          if (span.isRecording()) state.spanId = spanContext.spanId;
        }
        try {
          const output = await next();
          if (state) state.returned = procedure;
          return output;
        } catch (error) {
          const exposed = _normaliseError(error);
          if (signal?.aborted) logger.info("procedure cancelled by the caller", { procedure });
          else _logFailure(logger, procedure, error, exposed);
          recordSpanError(span, exposed);
          if (exposed instanceof ORPCError) {
            span.setAttribute("rpc.orpc.status", exposed.status);
            span.setStatus({ code: SpanStatusCode.ERROR, message: exposed.code });
          }
          throw exposed;
        } finally {
          span.end();
        }
      },
    );
  };
}

/**
 * The name and options of a procedure's spans, built once per procedure and
 * again when the process's span attributes (`configureTelemetry`) change.
 */
interface _ProcedureSpan {
  readonly base: Attributes;
  readonly name: string;
  readonly options: SpanOptions;
}

/**
 * Puts failures in their public shape: a store error (`STORE_UNAVAILABLE`,
 * `SCHEMA_MISSING`) becomes `SERVICE_UNAVAILABLE` naming the dependency but
 * not its address; input issues become the `BAD_REQUEST` data every client
 * sees; an output that breaks the contract is a server bug, so it becomes a
 * plain error that clients see as an undeclared 500 (never as a declared,
 * typed error).
 */
function _normaliseError(error: unknown): unknown {
  const unavailable = storeUnavailableAnswer(error);
  if (unavailable !== undefined) {
    return new ORPCError("SERVICE_UNAVAILABLE", {
      status: 503,
      message: unavailable.message,
      data: { dependency: unavailable.dependency },
      cause: error,
    });
  }
  if (!(error instanceof ORPCError) || !(error.cause instanceof ValidationError)) return error;
  if (_isCommon(error, "INTERNAL_SERVER_ERROR")) {
    return new Error("The procedure's output does not match its contract", { cause: error });
  }
  if (_isCommon(error, "BAD_REQUEST")) {
    return new ORPCError("BAD_REQUEST", {
      status: 400,
      message: error.message,
      data: { issues: error.cause.issues.map(_issue) },
      cause: error.cause,
    });
  }
  return error;
}

/** Whether an oRPC error carries a code of the common error map: typed, so a typo does not compile. */
function _isCommon(error: ORPCError<string, unknown>, code: keyof CommonErrorMap): boolean {
  return error.code === code;
}

/** Logs server-side failures (5xx and undeclared errors); client errors are not logged. */
function _logFailure(logger: Logger, procedure: string, original: unknown, exposed: unknown): void {
  if (exposed instanceof ORPCError && exposed.status < 500) return;
  const cause = original instanceof ORPCError ? original.cause : undefined;
  if (cause instanceof ValidationError) {
    logger.error("procedure output does not match its contract", {
      procedure,
      issues: cause.issues,
    });
  } else {
    logger.error("procedure failed", { procedure, error: original });
  }
}

function _issue(issue: ValidationError["issues"][number]): ValidationIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === "object" ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
  const code = (issue as { code?: unknown }).code;
  return typeof code === "string"
    ? { path, message: issue.message, code }
    : { path, message: issue.message };
}
