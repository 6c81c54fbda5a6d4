/**
 * Checking the messages of an append against a schema the handler is
 * given for the stream's path (a declared topic's JSON Schema), before
 * anything is written.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";

/** One problem a check found in a message. */
export interface MessageIssue {
  /** Where in the message, e.g. `total` or `(value)` for the whole message. */
  readonly path: string;
  /** The problem as a sentence, e.g. `total must be number`. */
  readonly message: string;
}

/**
 * Checks one parsed JSON message.
 *
 * @param message The message, parsed.
 * @returns Its problems; empty when it is accepted.
 */
export type MessageCheck = (message: unknown) => readonly MessageIssue[];

/** How many refused messages an error names at most. */
const _MAX_REPORTED = 20;

/**
 * Runs a stream's check on every message of an append.
 *
 * @param check The check, or `undefined` when the stream has none.
 * @param path The stream's path.
 * @param messages The messages' JSON texts, as the append flattened them.
 * @throws {NetScriptError} `STREAMS_INVALID_MESSAGE` naming each refused
 * message by its index in the append, with its problems.
 */
export function checkMessages(
  check: MessageCheck | undefined,
  path: string,
  messages: readonly string[],
): void {
  if (check === undefined) return;
  const refused: { index: number; issues: readonly MessageIssue[] }[] = [];
  for (const [index, text] of messages.entries()) {
    const issues = check(JSON.parse(text));
    if (issues.length > 0) refused.push({ index, issues });
    if (refused.length === _MAX_REPORTED) break;
  }
  if (refused.length === 0) return;
  const summary = refused.map(({ index, issues }) =>
    `message ${index}: ${issues.map((issue) => issue.message).join("; ")}`
  ).join(" | ");
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_INVALID_MESSAGE",
    `Cannot append to stream "${path}": ${summary}; fix the messages to match the topic's schema (nothing was written)`,
    { details: { path, refused } },
  );
}
