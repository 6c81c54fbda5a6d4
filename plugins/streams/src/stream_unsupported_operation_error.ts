import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsErrorCode } from "./streams_error_codes.ts";

/**
 * Thrown by the plugin package's {@linkcode publish} and
 * {@linkcode subscribe}: the plugin package declares topics and runs
 * `streams-api`; appending and reading live in
 * `@netscript/plugin-streams-core`'s `createDurableStream`. Catch it by type.
 *
 * @example
 * ```ts
 * import { publish, StreamUnsupportedOperationError } from "@netscript/plugin-streams";
 *
 * try {
 *   publish("orders", { id: "o-1" });
 * } catch (error) {
 *   console.log(error instanceof StreamUnsupportedOperationError); // true
 * }
 * ```
 */
export class StreamUnsupportedOperationError extends NetScriptError<StreamsErrorCode> {
  /**
   * Creates the error for an operation on a topic.
   *
   * @param operation What was called, e.g. `publish`.
   * @param topic The topic it was called for.
   */
  constructor(operation: string, topic: string) {
    super(
      "STREAMS_UNSUPPORTED_OPERATION",
      `${operation}("${topic}") cannot run from @netscript/plugin-streams, which only declares topics; use createDurableStream({ topic: "${topic}", schema, url }) from @netscript/plugin-streams-core to append and read`,
      { details: { operation, topic, use: "createDurableStream" } },
    );
  }
}

/**
 * A manifest-side name for appending to a topic; always throws. Append
 * with `createDurableStream(…).append()` from
 * `@netscript/plugin-streams-core`.
 *
 * @param topic The topic.
 * @param _message The message that would be appended.
 * @throws {StreamUnsupportedOperationError} Always, naming `createDurableStream`.
 *
 * @example
 * ```ts
 * import { publish } from "@netscript/plugin-streams";
 *
 * try {
 *   publish("orders", { id: "o-1" });
 * } catch (error) {
 *   console.log((error as Error).message);
 * }
 * ```
 */
export function publish(topic: string, _message: unknown): never {
  throw new StreamUnsupportedOperationError("publish", topic);
}

/**
 * A manifest-side name for reading a topic; always throws. Read with
 * `createDurableStream(…).read()` from `@netscript/plugin-streams-core`.
 *
 * @param topic The topic.
 * @throws {StreamUnsupportedOperationError} Always, naming `createDurableStream`.
 *
 * @example
 * ```ts
 * import { subscribe } from "@netscript/plugin-streams";
 *
 * try {
 *   subscribe("orders");
 * } catch (error) {
 *   console.log((error as Error).message);
 * }
 * ```
 */
export function subscribe(topic: string): never {
  throw new StreamUnsupportedOperationError("subscribe", topic);
}
