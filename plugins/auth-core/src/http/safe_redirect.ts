/**
 * Where a user may be sent after signing in: only a path on this site, so
 * a crafted sign-in link cannot forward a freshly signed-in user to a
 * look-alike page elsewhere (an open redirect).
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "../auth_error_codes.ts";

/** A base no real request has: what a relative path resolves against to check it stays put. */
const PROBE = "http://redirect.invalid";

/**
 * Checks a `redirectTo` and returns it normalised. It must start with one
 * `/` (not `//`, which browsers read as another host), and hold no
 * backslash (browsers read `/\host` as `//host`), no control character and
 * no encoded form of either that survives decoding into a different host.
 *
 * @param value The value given, or `null` for none.
 * @param fallback What an absent or empty value means.
 * @returns The path, with its query and fragment, as a URL parser writes it.
 * @throws {NetScriptError} `AUTH_REDIRECT_INVALID`, naming the value.
 *
 * @example
 * ```ts
 * import { safeRedirectPath } from "@netscript/plugin-auth-core";
 *
 * console.log(safeRedirectPath("/account?tab=keys")); // "/account?tab=keys"
 * try {
 *   safeRedirectPath("//evil.example/login");
 * } catch (error) {
 *   console.log((error as { code: string }).code); // "AUTH_REDIRECT_INVALID"
 * }
 * ```
 */
export function safeRedirectPath(value: string | null, fallback = "/"): string {
  if (value === null || value === "") return fallback;
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw _invalid(value, "it is not valid percent-encoding");
  }
  for (const form of [value, decoded]) {
    if (!form.startsWith("/") || form.startsWith("//")) {
      throw _invalid(value, "it must be a path on this site, starting with a single /");
    }
    if (form.includes("\\")) throw _invalid(value, "it holds a backslash");
    // deno-lint-ignore no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(form)) throw _invalid(value, "it holds a control character");
  }
  const url = new URL(value, PROBE);
  if (url.origin !== PROBE) throw _invalid(value, "it leaves this site");
  return `${url.pathname}${url.search}${url.hash}`;
}

function _invalid(value: string, why: string): NetScriptError<AuthErrorCode> {
  return new NetScriptError<AuthErrorCode>(
    "AUTH_REDIRECT_INVALID",
    `Cannot return to ${
      JSON.stringify(value.slice(0, 200))
    } after signing in: ${why}. Pass a path on this site such as /account`,
    { details: { redirectTo: value.slice(0, 200), reason: why } },
  );
}
