/**
 * Keeping credentials out of messages: a store's URL may carry a password,
 * and drivers sometimes repeat the URL in their errors.
 *
 * @module
 */

/**
 * `scheme://user:password@`: everything between the `:` and the last `@`
 * before the next space is secret, so a password holding an unencoded `/`,
 * `:` or `@` (often what makes a URL malformed) is hidden whole.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):\S*@/gi;

/** `password=…` or `pwd=…` in key/value connection strings. */
const KEY_VALUE_PASSWORD = /\b(password|pwd)=([^;&\s]+)/gi;

/**
 * Replaces every password in a text (a URL's `user:password@`, a
 * connection string's `password=`) with `***`.
 *
 * @param text A URL, a message, anything that may quote a URL.
 * @returns The text without passwords.
 *
 * @example
 * ```ts
 * import { redactSecrets } from "@netscript/store";
 *
 * console.log(redactSecrets("postgresql://app:hunter2@db:5432/app"));
 * // "postgresql://app:***@db:5432/app"
 * ```
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_PASSWORD, "$1:***@").replace(KEY_VALUE_PASSWORD, "$1=***");
}
