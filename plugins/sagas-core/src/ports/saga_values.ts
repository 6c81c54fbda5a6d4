/**
 * How saga values (inputs, step results, signal payloads, outputs) are
 * kept: as JSON text of at most {@linkcode MAX_SAGA_VALUE_BYTES}, with no
 * string a store cannot hold. The runtime encodes every value before it
 * is written, so adapters only ever see text they can store.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { unstorableTextPaths } from "@netscript/plugin-workers-core";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";

/**
 * The most UTF-8 bytes one saga value may take as JSON: 512 KiB, so a
 * step's result and the saga's progress still fit one atomic Deno KV
 * commit (819,200 bytes).
 */
export const MAX_SAGA_VALUE_BYTES = 524_288;

const _encoder = new TextEncoder();

/**
 * Encodes a saga value as the stores keep it.
 *
 * @param value The value; `undefined` is kept as `null` (no value).
 * @param what What it is, for messages, e.g. `the result of step "charge"`.
 * @returns Its JSON text, or `null` for `undefined`.
 * @throws {NetScriptError} `SAGAS_NOT_JSON` for a value JSON cannot hold
 * (a function, a bigint, a cycle) or a string no store can keep (a NUL
 * character, a lone surrogate); `SAGAS_VALUE_TOO_LARGE` over the limit.
 *
 * @example
 * ```ts
 * import { encodeSagaValue } from "@netscript/plugin-sagas-core";
 *
 * console.log(encodeSagaValue({ paymentId: "p-1" }, "a result")); // '{"paymentId":"p-1"}'
 * ```
 */
export function encodeSagaValue(value: unknown, what: string): string | null {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw _notJson(what, (error as Error).message, error);
  }
  if (text === undefined) throw _notJson(what, `a ${typeof value} is not JSON`);
  const bad = unstorableTextPaths(value);
  if (bad.length > 0) {
    throw _notJson(
      what,
      `the string at ${
        bad.map((path) => `(value)${path.map((p) => `[${JSON.stringify(p)}]`).join("")}`).join(", ")
      } holds a NUL character or a lone surrogate`,
    );
  }
  const bytes = _encoder.encode(text).length;
  if (bytes > MAX_SAGA_VALUE_BYTES) {
    throw new NetScriptError<SagasCoreErrorCode>(
      "SAGAS_VALUE_TOO_LARGE",
      `Cannot keep ${what}: it takes ${bytes} bytes as JSON, over the limit of ${MAX_SAGA_VALUE_BYTES}; pass larger data by reference (a URL, a row id)`,
      { details: { what, bytes, limit: MAX_SAGA_VALUE_BYTES } },
    );
  }
  return text;
}

/**
 * Decodes a value {@linkcode encodeSagaValue} encoded.
 *
 * @param text Its JSON text, or `null`.
 * @returns The value; `undefined` for `null`.
 */
export function decodeSagaValue(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

function _notJson(what: string, problem: string, cause?: unknown): NetScriptError {
  return new NetScriptError<SagasCoreErrorCode>(
    "SAGAS_NOT_JSON",
    `Cannot keep ${what} as JSON: ${problem}; return plain JSON data (objects, arrays, strings, numbers, booleans, null)`,
    { details: { what, problem }, cause },
  );
}
