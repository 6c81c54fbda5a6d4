/**
 * The error for WorkOS not answering, or answering something unusable:
 * `AUTH_PROVIDER_UNAVAILABLE`, naming what failed and where, never a token.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "@netscript/plugin-auth-core";
import { WORKOS_BACKEND_NAME } from "./workos_session.ts";

/**
 * Builds the error for a call to WorkOS that failed.
 *
 * @param baseUrl Where WorkOS was reached, e.g. `https://api.workos.com`.
 * @param action What was being done, e.g. `refresh a session`.
 * @param cause The underlying error, or a few words saying what was wrong.
 * @returns The error, with `cause` kept.
 */
export function providerUnavailable(
  baseUrl: string,
  action: string,
  cause: unknown,
): NetScriptError<AuthErrorCode> {
  return new NetScriptError<AuthErrorCode>(
    "AUTH_PROVIDER_UNAVAILABLE",
    `Cannot ${action} at WorkOS (${baseUrl}): ${
      _describe(cause)
    }. Nothing was signed in or refreshed; check that WorkOS is reachable there and accepts the API key, then try again`,
    { details: { backend: WORKOS_BACKEND_NAME, provider: baseUrl, action }, cause },
  );
}

/** What went wrong, in a few words: the error's name and message (the library's own, never a token). */
function _describe(cause: unknown): string {
  if (typeof cause === "string") return cause;
  if (!(cause instanceof Error)) return "unknown failure";
  const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : "";
  return `${cause.name}: ${cause.message}${inner}`.replace(/[.?!\s]+$/, "").slice(0, 300);
}
