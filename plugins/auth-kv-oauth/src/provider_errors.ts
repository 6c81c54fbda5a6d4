/**
 * What the backend says when the identity provider's answer is refused or
 * the provider cannot be used. The errors of `oauth4webapi` carry the
 * responses they judged (token bodies, ID tokens) in their `cause`, so they
 * are never attached: only a stable reason, the OAuth error code and the
 * library's fixed description of the check that failed.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "@netscript/plugin-auth-core";
import { redactSecrets } from "@netscript/store";
import * as oauth from "oauth4webapi";

/** Why a sign-in's answer was refused: `details.reason` of `AUTH_CALLBACK_INVALID`. */
export type CallbackRefusal =
  | "no-pending-sign-in"
  | "sign-in-expired"
  | "state-mismatch"
  | "provider-error"
  | "response-invalid"
  | "code-refused"
  | "token-response-invalid"
  | "id-token-invalid"
  | "userinfo-invalid";

/** What each refusal means, for the message. */
const REFUSALS: Readonly<Record<CallbackRefusal, string>> = {
  "no-pending-sign-in":
    "no sign-in is pending in this browser (no sign-in cookie, or its sign-in was already finished)",
  "sign-in-expired": "the sign-in took too long",
  "state-mismatch": "its state does not match the sign-in this browser began",
  "provider-error": "the provider reported an error",
  "response-invalid": "the provider's redirect is not a valid answer",
  "code-refused": "the provider refused to exchange the authorization code",
  "token-response-invalid": "the provider's token response is not valid",
  "id-token-invalid": "the ID token failed validation",
  "userinfo-invalid": "the provider's user info does not describe the signed-in user",
};

/** `oauth4webapi` codes that mean the provider answered at the HTTP level with something unusable. */
const UNUSABLE_RESPONSE_CODES: ReadonlySet<string> = new Set([
  oauth.RESPONSE_IS_NOT_JSON,
  oauth.RESPONSE_IS_NOT_CONFORM,
  oauth.HTTP_REQUEST_FORBIDDEN,
  oauth.REQUEST_PROTOCOL_FORBIDDEN,
  oauth.MISSING_SERVER_METADATA,
  oauth.INVALID_SERVER_METADATA,
]);

/**
 * The error of a refused sign-in answer.
 *
 * @param reason Why.
 * @param extra The OAuth error code or the check that failed, when known.
 * @returns `AUTH_CALLBACK_INVALID`, with `details.reason`.
 */
export function callbackRefused(
  reason: CallbackRefusal,
  extra: { readonly oauthError?: string; readonly check?: string } = {},
): NetScriptError<AuthErrorCode> {
  const because = [
    extra.oauthError === undefined ? "" : ` (${extra.oauthError})`,
    extra.check === undefined ? "" : `: ${extra.check}`,
  ].join("");
  return new NetScriptError<AuthErrorCode>(
    "AUTH_CALLBACK_INVALID",
    `The sign-in was refused: ${
      REFUSALS[reason]
    }${because}. Nothing was signed in; start the sign-in again`,
    { details: { reason, ...extra } },
  );
}

/**
 * The error of a provider that cannot be reached or answered something
 * unusable.
 *
 * @param step What the backend was doing, e.g. `discovery`.
 * @param why What went wrong, without tokens (redacted again here).
 * @returns `AUTH_PROVIDER_UNAVAILABLE`, with `details.step`.
 */
export function providerUnavailable(step: string, why: string): NetScriptError<AuthErrorCode> {
  return new NetScriptError<AuthErrorCode>(
    "AUTH_PROVIDER_UNAVAILABLE",
    `The identity provider could not be used (${step}): ${
      redactSecrets(why)
    }. Try again once it is reachable`,
    { details: { step } },
  );
}

/**
 * Sorts what `oauth4webapi` or `fetch` threw while talking to the provider:
 * network failures, timeouts, 5xx and non-OAuth answers are
 * `AUTH_PROVIDER_UNAVAILABLE`; an OAuth error from the provider and a
 * failed check are the given refusal.
 *
 * @param error What was thrown.
 * @param at What the backend was doing, and the refusal a failed check means there.
 * @returns The error to throw.
 */
export function classifyProviderError(
  error: unknown,
  at: { readonly step: string; readonly refusal: CallbackRefusal },
): NetScriptError<AuthErrorCode> {
  const { step, refusal } = at;
  if (error instanceof NetScriptError) return error;
  if (_isNetworkError(error)) return providerUnavailable(step, _describe(error));
  if (
    error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError
  ) {
    const oauthError = error instanceof oauth.ResponseBodyError
      ? safeOAuthError(error.error)
      : "www-authenticate challenge";
    if (error.status >= 500) {
      return providerUnavailable(step, `it answered HTTP ${error.status} (${oauthError})`);
    }
    return callbackRefused(refusal, { oauthError });
  }
  if (error instanceof oauth.OperationProcessingError && UNUSABLE_RESPONSE_CODES.has(error.code!)) {
    return providerUnavailable(step, error.message);
  }
  if (
    error instanceof oauth.OperationProcessingError ||
    error instanceof oauth.UnsupportedOperationError
  ) {
    return callbackRefused(refusal, { check: error.message });
  }
  throw error;
}

/**
 * An OAuth error code from the provider, kept only when it has the shape
 * of one (RFC 6749 §5.2), so provider text never reaches a message.
 *
 * @param value The `error` the provider sent.
 * @returns The code, or `"unrecognised"`.
 */
export function safeOAuthError(value: unknown): string {
  return typeof value === "string" && /^[a-z0-9_.-]{1,64}$/i.test(value) ? value : "unrecognised";
}

/**
 * Which refusal an error of a token response means: the provider's OAuth
 * error (the code was refused), a failed check of the ID token, or of the
 * rest of the response.
 *
 * @param error What processing the token response threw.
 * @returns The refusal.
 */
export function tokenResponseRefusal(error: unknown): CallbackRefusal {
  if (error instanceof oauth.ResponseBodyError) return "code-refused";
  if (error instanceof oauth.WWWAuthenticateChallengeError) return "code-refused";
  if (error instanceof oauth.UnsupportedOperationError) return "id-token-invalid";
  const message = error instanceof Error ? error.message : "";
  return /JWT|ID Token|id_token/.test(message) ? "id-token-invalid" : "token-response-invalid";
}

/** Whether a `fetch` failed to reach the provider (as opposed to a bad argument). */
function _isNetworkError(error: unknown): boolean {
  if (error instanceof DOMException) {
    return error.name === "TimeoutError" || error.name === "AbortError";
  }
  return error instanceof TypeError && !("code" in error);
}

function _describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
