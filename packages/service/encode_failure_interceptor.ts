import type { Logger } from "@netscript/telemetry";
import { REQUEST_STATE, type RequestState } from "./procedure_interceptor.ts";

/** The options oRPC passes a handler interceptor (the subset used here). */
interface HandlerInterceptorOptions<TResult> {
  context: object;
  next: () => Promise<TResult>;
}

/**
 * Builds the handler interceptor that logs a response oRPC could not encode
 * (an output JSON cannot carry, such as an object that refers to itself).
 * oRPC answers those `500 INTERNAL_SERVER_ERROR` on its own, after the
 * procedure's span has ended without an error, so without this the failure
 * leaves no trace. The line, `response could not be encoded`, names the
 * procedure and carries its span's `traceId` and `spanId`.
 *
 * @param logger Where the failure is logged.
 * @returns An oRPC handler interceptor.
 */
export function createEncodeFailureInterceptor(
  logger: Logger,
): <TResult>(options: HandlerInterceptorOptions<TResult>) => Promise<TResult> {
  return async ({ context, next }) => {
    try {
      return await next();
    } catch (error) {
      logEncodeFailure(logger, context, error);
      throw error;
    }
  };
}

/**
 * Logs `response could not be encoded` for a procedure that returned (the
 * procedure interceptor marked it in the request state), naming it, with
 * its span's `traceId` and `spanId`; a failure before the procedure
 * returned is not an encoding failure and is left alone.
 *
 * @param logger Where the failure is logged.
 * @param context The procedure context, holding the request state.
 * @param error What encoding threw.
 */
export function logEncodeFailure(logger: Logger, context: object, error: unknown): void {
  const state = (context as { [REQUEST_STATE]?: RequestState })[REQUEST_STATE];
  if (state?.returned === undefined) return;
  logger.error("response could not be encoded", {
    procedure: state.returned,
    error,
    ...(state.traceId === undefined ? {} : { traceId: state.traceId }),
    ...(state.spanId === undefined ? {} : { spanId: state.spanId }),
  });
}
