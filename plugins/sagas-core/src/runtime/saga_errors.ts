/**
 * The errors a saga's `run` may see from its `ctx`, and those that end a
 * saga, each with its code of {@linkcode SAGAS_CORE_ERROR_CODES}.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { SAGAS_CORE_ERROR_CODES, SagasCoreErrorCode } from "../sagas_error_codes.ts";

/** Codes `ctx.step` and `ctx.waitForSignal` throw into `run` from a recorded failure. */
export type RecordedFailureCode = Extract<
  SagasCoreErrorCode,
  "SAGAS_STEP_FAILED" | "SAGAS_SIGNAL_TIMEOUT" | "SAGAS_INVALID_SIGNAL"
>;

/**
 * A saga error with a code of {@linkcode SAGAS_CORE_ERROR_CODES}.
 *
 * @param code The code.
 * @param message What happened and what to do.
 * @param details Structured details.
 * @param cause The underlying error.
 * @returns The error.
 */
export function sagaError(
  code: keyof typeof SAGAS_CORE_ERROR_CODES,
  message: string,
  details: Record<string, unknown>,
  cause?: unknown,
): NetScriptError<SagasCoreErrorCode> {
  return new NetScriptError<SagasCoreErrorCode>(code, message, { details, cause });
}

/**
 * The error a failed journal entry stands for, rebuilt from what was
 * recorded so a replay throws what the first run threw.
 *
 * @param code Its code.
 * @param name The step's or signal's name.
 * @param message The recorded message.
 * @returns The error.
 */
export function recordedFailure(
  code: RecordedFailureCode,
  name: string,
  message: string,
): NetScriptError<SagasCoreErrorCode> {
  return sagaError(code, message, { name });
}

/**
 * The message of anything thrown, for the journal.
 *
 * @param error What was thrown.
 * @returns Its message.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message === "" ? error.name : error.message;
  return String(error);
}

/**
 * Tells whether an error is a saga error with this code.
 *
 * @param error Anything thrown.
 * @param code The code.
 * @returns `true` when it carries the code.
 */
export function hasCode(error: unknown, code: SagasCoreErrorCode): boolean {
  return error instanceof NetScriptError && error.code === code;
}
