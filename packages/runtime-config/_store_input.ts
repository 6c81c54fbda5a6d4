/**
 * The argument checks every config store adapter makes before it touches
 * its storage: the topic name, the expected revision and the value's JSON.
 *
 * @module
 */
import { CONFIG_TOPIC_NAME_PATTERN, type ConfigWriteOptions } from "./config_store.ts";

/**
 * Checks a topic name.
 *
 * @param topic The name given.
 * @throws {TypeError} When it does not match {@linkcode CONFIG_TOPIC_NAME_PATTERN}.
 */
export function checkTopic(topic: string): void {
  if (typeof topic !== "string" || !CONFIG_TOPIC_NAME_PATTERN.test(topic)) {
    throw new TypeError(
      `Invalid config topic name ${
        JSON.stringify(topic)
      }: it must match ${CONFIG_TOPIC_NAME_PATTERN}`,
    );
  }
}

/**
 * Checks the options of a write.
 *
 * @param options The options given.
 * @returns The expected revision, if any.
 * @throws {RangeError} When `expectedRevision` is not a whole number of 0 or more.
 */
export function checkExpectedRevision(options: ConfigWriteOptions | undefined): number | undefined {
  const expected = options?.expectedRevision;
  if (expected === undefined) return undefined;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(
      `Invalid expectedRevision ${expected}: it must be a whole number of 0 or more`,
    );
  }
  return expected;
}

/**
 * The JSON text of a value to store.
 *
 * @param topic The topic's name, for messages.
 * @param value The value.
 * @returns Its JSON text.
 * @throws {TypeError} When the value has no JSON form (undefined, a function,
 * a bigint, a cycle).
 */
export function encodeValue(topic: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(
      `Cannot store the value of config topic "${topic}": it is not JSON (${
        (error as Error).message
      })`,
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new TypeError(
      `Cannot store the value of config topic "${topic}": ${typeof value} has no JSON form`,
    );
  }
  return text;
}
