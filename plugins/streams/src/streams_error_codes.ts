/**
 * The error codes of `@netscript/plugin-streams`, as a typed catalog. The
 * plugin also raises the codes of `@netscript/plugin-streams-core`
 * (`STREAMS_CORE_ERROR_CODES`) and of the kit its process runs on
 * (`RUNTIME_ERROR_CODES` of `@netscript/runtime`, the store codes).
 *
 * @module
 */

/**
 * Every code of its own `@netscript/plugin-streams` raises, with what it
 * means and what to do.
 *
 * @example
 * ```ts
 * import { STREAMS_ERROR_CODES } from "@netscript/plugin-streams";
 *
 * console.log(STREAMS_ERROR_CODES.STREAMS_UNSUPPORTED_OPERATION);
 * ```
 */
export const STREAMS_ERROR_CODES = {
  STREAMS_UNSUPPORTED_OPERATION:
    "A stream was appended to or read through the plugin's manifest side (a topic declaration), which only names topics. Append and read with createDurableStream() from @netscript/plugin-streams-core.",
  STREAMS_TOPIC_CONFLICT:
    "streams-api could not create a declared topic at start because a stream of that name exists with another content type or settings (or was deleted while forks read it); the process exits. Delete the stream, or rename the topic.",
  STREAMS_INVALID_TOPICS:
    "defineStreamsPlugin() was given topics that are not a list of { name, schemaPath }, or two topics with one name. Fix the topics the message lists.",
} as const;

/** One of {@linkcode STREAMS_ERROR_CODES}. */
export type StreamsErrorCode = keyof typeof STREAMS_ERROR_CODES;
