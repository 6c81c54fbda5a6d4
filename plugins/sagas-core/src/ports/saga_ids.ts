/**
 * What a saga id may be: the idempotency key a start is given, or one the
 * client makes.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";

/** The longest saga id. */
export const MAX_SAGA_ID_LENGTH = 200;

/** What a saga id must match: letters, digits, `.`, `_`, `:`, `-`; 1–200 characters. */
export const SAGA_ID_PATTERN: RegExp = /^[A-Za-z0-9._:-]{1,200}$/;

/** What a signal's name must match: letters, digits, `.`, `_`, `:`, `-`; 1–128 characters. */
export const SIGNAL_NAME_PATTERN: RegExp = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A value as messages quote it: JSON, cut to its first 64 characters, so
 * an oversized value sent by a caller does not come back whole.
 *
 * @param value The value.
 * @returns The quoted value.
 */
export function quoted(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

/**
 * Checks a saga id given to a start.
 *
 * @param id The id.
 * @throws {NetScriptError} `SAGAS_INVALID_ID`.
 *
 * @example
 * ```ts
 * import { checkSagaId } from "@netscript/plugin-sagas-core";
 *
 * checkSagaId("order-42"); // passes
 * ```
 */
export function checkSagaId(id: string): void {
  if (typeof id === "string" && SAGA_ID_PATTERN.test(id)) return;
  throw new NetScriptError<SagasCoreErrorCode>(
    "SAGAS_INVALID_ID",
    `Cannot use ${
      quoted(id)
    } as a saga id: it must be 1–${MAX_SAGA_ID_LENGTH} letters, digits, ".", "_", ":" or "-"`,
    { details: { id: String(id).slice(0, 64) } },
  );
}
