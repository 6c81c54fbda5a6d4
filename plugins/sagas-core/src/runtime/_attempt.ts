/**
 * One attempt of a step or a compensation: the function, called with a
 * signal that aborts on the attempt's timeout or on any of the saga's own
 * signals, and raced against that timeout.
 *
 * @module
 */
import { type Logger, recordSpanError, withSpan } from "@netscript/telemetry";
import type { StepContext } from "../dsl/saga_context.ts";
import { sagaError } from "./saga_errors.ts";

/** What an attempt needs besides the function. */
export interface AttemptOptions {
  /** The step's name, for the timeout's message and the span. */
  readonly name: string;
  /** The span's name: `saga.step` or `saga.compensation`. */
  readonly span: "saga.step" | "saga.compensation";
  /** The attempt's number, from 1. */
  readonly attempt: number;
  /** The step's idempotency key (see {@linkcode StepContext.key}). */
  readonly key: string;
  /** Milliseconds it may take, or `null` for no limit. */
  readonly timeout: number | null;
  /** Signals that abort it too: a cancel, the runner letting the saga go. */
  readonly signals: readonly AbortSignal[];
  /** The step's logger. */
  readonly logger: Logger;
}

/** How an attempt ended. */
export type AttemptOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * Runs one attempt.
 *
 * @param fn The step's function or the compensation.
 * @param options The attempt.
 * @returns Its value, or what it threw (the timeout's `SAGAS_STEP_TIMEOUT` when it ran out of time).
 */
export async function runAttempt(
  fn: (context: StepContext) => unknown,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  const timeout = new AbortController();
  const signal = AbortSignal.any([timeout.signal, ...options.signals]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<AttemptOutcome>((resolve) => {
    if (options.timeout === null) return;
    timer = setTimeout(() => {
      const error = sagaError(
        "SAGAS_STEP_TIMEOUT",
        `Step "${options.name}" attempt ${options.attempt} ran past its timeout of ${options.timeout} ms`,
        { name: options.name, attempt: options.attempt, timeout: options.timeout },
      );
      timeout.abort(error);
      resolve({ ok: false, error });
    }, options.timeout);
  });
  try {
    const ran = withSpan(options.span, async (span): Promise<AttemptOutcome> => {
      span.setAttribute("netscript.step", options.name);
      span.setAttribute("netscript.attempt", options.attempt);
      try {
        const value = await fn({
          attempt: options.attempt,
          key: options.key,
          signal,
          logger: options.logger,
        });
        return { ok: true, value };
      } catch (error) {
        recordSpanError(span, error);
        return { ok: false, error };
      }
    });
    return await Promise.race([ran, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
