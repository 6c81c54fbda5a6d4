/**
 * JSON streams keep message boundaries: an append's body is one message, or
 * a JSON array whose elements are the messages (one level flattened). A
 * stored chunk is the UTF-8 text of a JSON array of its messages, each
 * message kept as the exact text the writer sent, so no number or string
 * changes on the way through.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";

const _encoder = new TextEncoder();

function _invalidBody(message: string): NetScriptError<StreamsCoreErrorCode> {
  return new NetScriptError<StreamsCoreErrorCode>("STREAMS_INVALID_BODY", message);
}

/**
 * Splits the text of a valid JSON array into the texts of its elements.
 *
 * @param text A JSON array's text, already known to be valid JSON.
 * @returns Each element's text, trimmed; empty for `[]`.
 */
export function splitJsonArray(text: string): string[] {
  const inner = text.trim();
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 1;
  for (let index = 1; index < inner.length - 1; index++) {
    const char = inner[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") depth--;
    else if (char === "," && depth === 0) {
      elements.push(inner.slice(start, index).trim());
      start = index + 1;
    }
  }
  const last = inner.slice(start, inner.length - 1).trim();
  if (last !== "") elements.push(last);
  return elements;
}

/**
 * Reads an append's body for a JSON stream: validates it and flattens one
 * level of array.
 *
 * @param body The request body.
 * @param options Whether an empty array is allowed (it is when creating a stream).
 * @returns The messages' texts, in order.
 * @throws {NetScriptError} `STREAMS_INVALID_BODY` for invalid UTF-8 or JSON, or an empty array where one is not allowed.
 */
export function parseJsonMessages(
  body: Uint8Array,
  options: { allowEmptyArray: boolean },
): string[] {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    value = JSON.parse(text);
  } catch (error) {
    throw _invalidBody(
      `Cannot append to a JSON stream: the body is not valid JSON (${
        error instanceof Error ? error.message : String(error)
      }); send one JSON value, or a JSON array of messages`,
    );
  }
  if (!Array.isArray(value)) return [text.trim()];
  const messages = splitJsonArray(text);
  if (messages.length === 0 && !options.allowEmptyArray) {
    throw _invalidBody(
      "Cannot append an empty JSON array: it holds no messages; send at least one message",
    );
  }
  return messages;
}

/**
 * Writes messages as the data of one JSON chunk.
 *
 * @param messages The messages' texts.
 * @returns The UTF-8 text of a JSON array of them.
 */
export function encodeJsonChunk(messages: readonly string[]): Uint8Array {
  return _encoder.encode(`[${messages.join(",")}]`);
}

/**
 * Reads the messages of a JSON chunk.
 *
 * @param data A JSON chunk's data.
 * @returns The messages' texts, in order.
 */
export function decodeJsonChunk(data: Uint8Array): string[] {
  return splitJsonArray(new TextDecoder().decode(data));
}
