/**
 * What every job store can keep: the numeric bounds of a job's fields (the
 * PostgreSQL columns are 32-bit integers and millisecond timestamps) and the
 * text no store can hold faithfully (PostgreSQL refuses a NUL character
 * anywhere, and a lone UTF-16 surrogate in JSON). Every adapter checks a new
 * job against them, so the stores accept and refuse the same jobs.
 *
 * @module
 */

/** The lowest priority a store keeps: the lowest 32-bit integer. */
export const MIN_PRIORITY: number = -2_147_483_648;

/** The highest priority a store keeps: the highest 32-bit integer. */
export const MAX_PRIORITY: number = 2_147_483_647;

/** The most attempts a job may have: the highest 32-bit integer. */
export const MAX_ATTEMPTS: number = 2_147_483_647;

/**
 * The longest `uniqueKey`, in characters (Unicode code points, as zod's
 * `max` counts them): at most 1,024 bytes of UTF-8, which every store's
 * unique index holds (a Deno KV key is at most 2,048 bytes, a PostgreSQL
 * btree entry about 2,700).
 */
export const MAX_UNIQUE_KEY_LENGTH: number = 256;

/** The earliest `runAt` a store keeps: the first instant of year 1. */
export const MIN_RUN_AT: Date = new Date("0001-01-01T00:00:00.000Z");

/** The latest `runAt` a store keeps: the last millisecond of year 9999. */
export const MAX_RUN_AT: Date = new Date("9999-12-31T23:59:59.999Z");

const NUL = "\u0000";
const REPLACEMENT = "\uFFFD";

/**
 * Tells whether every store can keep a string as it is: it has no NUL
 * character and no lone UTF-16 surrogate.
 *
 * @param text The string.
 * @returns `true` when it can be stored unchanged.
 *
 * @example
 * ```ts
 * import { isStorableText } from "@netscript/plugin-workers-core";
 *
 * console.log(isStorableText("smtp down"), isStorableText("a\u0000b")); // true false
 * ```
 */
export function isStorableText(text: string): boolean {
  return !text.includes(NUL) && text.isWellFormed();
}

/**
 * A string every store can keep: NUL characters and lone UTF-16 surrogates
 * replaced by U+FFFD. Adapters record error messages through it, so a
 * handler's error can always be recorded.
 *
 * @param text The string.
 * @returns The string, with what no store holds replaced.
 *
 * @example
 * ```ts
 * import { storableText } from "@netscript/plugin-workers-core";
 *
 * console.log(storableText("a\u0000b")); // "a\uFFFDb"
 * ```
 */
export function storableText(text: string): string {
  return text.replaceAll(NUL, REPLACEMENT).toWellFormed();
}

/**
 * The places in a JSON value holding a string (or an object key) that no
 * store can keep ({@linkcode isStorableText}).
 *
 * @param value The value, e.g. a job's input.
 * @returns The path of each such string; empty when the value can be stored.
 *
 * @example
 * ```ts
 * import { unstorableTextPaths } from "@netscript/plugin-workers-core";
 *
 * console.log(unstorableTextPaths({ to: ["ok", "b\u0000d"] })); // [["to", 1]]
 * ```
 */
export function unstorableTextPaths(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (typeof node === "string") {
      if (!isStorableText(node)) found.push(path);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i]));
    } else if (typeof node === "object" && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        if (!isStorableText(key)) found.push([...path, key]);
        else visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return found;
}
