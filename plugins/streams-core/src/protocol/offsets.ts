/**
 * Offsets: how positions are shown to clients. An offset is the position
 * written as 16 decimal digits after a fixed 16-digit prefix, so every
 * offset has the same width and comparing two offsets as strings compares
 * their positions. `-1` (the start) and `now` (the tail) are the protocol's
 * sentinels and are never minted.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";

const _PREFIX = "0000000000000000_";
const _DIGITS = 16;
const _PATTERN = /^0{16}_(\d{16})$/;

/** An offset a client sent, resolved to what it names. */
export type RequestedOffset =
  | { kind: "start" }
  | { kind: "now" }
  | { kind: "position"; position: number };

/**
 * Writes a position as an offset.
 *
 * @param position A position: a non-negative safe integer.
 * @returns The offset, e.g. `0000000000000000_0000000000000042`.
 *
 * @example
 * ```ts
 * import { encodeOffset } from "@netscript/plugin-streams-core";
 *
 * console.log(encodeOffset(42)); // "0000000000000000_0000000000000042"
 * ```
 */
export function encodeOffset(position: number): string {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(
      `Cannot encode position ${position} as an offset: it must be a non-negative safe integer`,
    );
  }
  return _PREFIX + String(position).padStart(_DIGITS, "0");
}

/**
 * Reads an offset a client sent: `-1`, `now`, or an offset the server
 * minted.
 *
 * @param text The offset as sent.
 * @returns What it names.
 * @throws {NetScriptError} `STREAMS_INVALID_OFFSET` when it is none of those.
 *
 * @example
 * ```ts
 * import { parseOffset } from "@netscript/plugin-streams-core";
 *
 * console.log(parseOffset("0000000000000000_0000000000000042")); // { kind: "position", position: 42 }
 * ```
 */
export function parseOffset(text: string): RequestedOffset {
  if (text === "-1") return { kind: "start" };
  if (text === "now") return { kind: "now" };
  const match = _PATTERN.exec(text);
  const position = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(position)) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_OFFSET",
      `Cannot read offset ${
        JSON.stringify(text.slice(0, 80))
      }: it is not -1, now, or an offset this server returned; use the Stream-Next-Offset of an earlier response`,
      { details: { offset: text.slice(0, 80) } },
    );
  }
  return { kind: "position", position };
}
