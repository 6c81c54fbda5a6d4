/**
 * The interactive sign-in: {@linkcode beginSignIn} sends the browser to the
 * provider with PKCE, `state` and `nonce` kept server-side under a random
 * id that a short-lived cookie names; {@linkcode finishSignIn} takes that
 * sign-in once, checks the provider's answer and starts a new session.
 *
 * @module
 */
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  type AuthErrorCode,
  clearCookie,
  readCookie,
  safeRedirectPath,
  setCookie,
  type SignInOptions,
} from "@netscript/plugin-auth-core";
import * as oauth from "oauth4webapi";
import {
  type BackendContext,
  CALLBACK_PATH,
  redirect,
  scopeOf,
  SESSION_COOKIE,
  sessionOfRequest,
  SIGN_IN_COOKIE,
} from "./backend_context.ts";
import { callbackRefused } from "./provider_errors.ts";
import { isRandomToken, randomToken, sessionIdOf } from "./random_token.ts";
import type { PendingSignIn } from "./session_store.ts";

/**
 * Begins a sign-in: checks `redirectTo`, keeps the pending sign-in, and
 * answers a redirect to the provider's authorization endpoint that sets
 * the sign-in cookie.
 *
 * @param ctx The backend.
 * @param request The browser's request.
 * @param options Where to return to.
 * @returns The redirect.
 * @throws {NetScriptError} `AUTH_REDIRECT_INVALID` (before anything is
 * stored or redirected), `AUTH_PROVIDER_UNAVAILABLE`.
 */
export async function beginSignIn(
  ctx: BackendContext,
  request: Request,
  options: SignInOptions,
): Promise<Response> {
  const redirectTo = safeRedirectPath(options.redirectTo);
  const origin = ctx.settings.publicOrigin ?? new URL(request.url).origin;
  const now = ctx.now();
  const pending: PendingSignIn = {
    state: randomToken(),
    nonce: randomToken(),
    codeVerifier: oauth.generateRandomCodeVerifier(),
    redirectTo,
    redirectUri: `${origin}${CALLBACK_PATH}`,
    expiresAt: now + ctx.settings.signInTtlSeconds * 1000,
  };
  const location = await ctx.oidc.authorizationUrl(pending);
  const id = randomToken();
  await ctx.store.savePending(id, pending);
  const scope = scopeOf(ctx, request);
  return redirect(location.href, [
    setCookie(SIGN_IN_COOKIE, id, scope, ctx.settings.signInTtlSeconds),
  ]);
}

/**
 * Finishes a sign-in from the provider's redirect back. The pending
 * sign-in is taken (and so ended) before anything else is checked; on
 * success a new session id is made whatever session cookie the browser
 * sent, and the session that cookie named, if any, ends.
 *
 * @param ctx The backend.
 * @param request The provider's redirect, as the browser follows it.
 * @returns A redirect to the sign-in's `redirectTo`, setting the session
 * cookie and clearing the sign-in cookie.
 * @throws {NetScriptError} `AUTH_CALLBACK_INVALID` (logged with its
 * reason), `AUTH_PROVIDER_UNAVAILABLE`.
 */
export async function finishSignIn(ctx: BackendContext, request: Request): Promise<Response> {
  try {
    return await _finish(ctx, request);
  } catch (error) {
    if (isNetScriptError<AuthErrorCode>(error, "AUTH_CALLBACK_INVALID")) {
      ctx.logger?.warn("sign-in refused", { backend: "kv-oauth", ...error.details });
    }
    throw error;
  }
}

async function _finish(ctx: BackendContext, request: Request): Promise<Response> {
  const scope = scopeOf(ctx, request);
  const pendingId = readCookie(request, SIGN_IN_COOKIE, scope);
  const pending = isRandomToken(pendingId) ? await ctx.store.takePending(pendingId) : null;
  if (pending === null) throw callbackRefused("no-pending-sign-in");
  if (pending.expiresAt <= ctx.now()) throw callbackRefused("sign-in-expired");
  const granted = await ctx.oidc.exchangeCode(new URL(request.url).searchParams, pending);

  const token = randomToken();
  const id = await sessionIdOf(token);
  const now = ctx.now();
  await ctx.store.createSession(id, {
    userId: granted.user.id,
    user: granted.user,
    createdAt: now,
    expiresAt: now + ctx.settings.sessionTtlSeconds * 1000,
    scopes: granted.scopes ?? ctx.settings.scopes,
    refreshToken: granted.refreshToken === null
      ? null
      : await ctx.cipher.seal(granted.refreshToken, id),
  });
  const previous = await sessionOfRequest(ctx, request);
  if (previous !== null) await ctx.store.deleteSession(previous);
  ctx.logger?.info("signed in", { backend: "kv-oauth", userId: granted.user.id, sessionId: id });
  return redirect(pending.redirectTo, [
    setCookie(SESSION_COOKIE, token, scope, ctx.settings.sessionTtlSeconds),
    clearCookie(SIGN_IN_COOKIE, scope),
  ]);
}
