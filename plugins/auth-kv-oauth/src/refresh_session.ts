/**
 * Refreshing a session with the provider: the refresh grant with the
 * session's decrypted refresh token, then a later end time, the rotated
 * token and the user as the new ID token describes them. A refresh the
 * provider refuses ends the session.
 *
 * @module
 */
import { readCookie, type RefreshedSession, setCookie } from "@netscript/plugin-auth-core";
import {
  type BackendContext,
  scopeOf,
  SESSION_COOKIE,
  sessionOfRequest,
  toAuthSession,
} from "./backend_context.ts";
import type { SessionEntry, SessionRecord } from "./session_store.ts";

/**
 * Refreshes the session a request carries.
 *
 * @param ctx The backend.
 * @param request The caller's request.
 * @returns The refreshed session with its cookie renewed for the session's
 * new lifetime; the session unchanged (and no cookie) when the provider
 * issued no refresh token; `null` when the request carries no session or
 * the refresh was refused (the session then ends).
 * @throws {NetScriptError} `AUTH_PROVIDER_UNAVAILABLE` (the session is kept).
 */
export async function refreshSession(
  ctx: BackendContext,
  request: Request,
): Promise<RefreshedSession | null> {
  const entry = await sessionOfRequest(ctx, request);
  if (entry === null) return null;
  const sealed = entry.record.refreshToken;
  if (sealed === null) return { session: toAuthSession(entry), setCookies: [] };
  const refreshToken = await ctx.cipher.open(sealed, entry.id);
  if (refreshToken === null) {
    return await _end(ctx, entry, "its refresh token does not decrypt (was AUTH_SECRET changed?)");
  }
  const result = await ctx.oidc.refresh(refreshToken, entry.record.userId);
  if ("refused" in result) {
    return await _end(ctx, entry, `the provider refused the refresh (${result.reason})`);
  }
  const now = ctx.now();
  const record: SessionRecord = {
    ...entry.record,
    user: result.user ?? entry.record.user,
    expiresAt: now + ctx.settings.sessionTtlSeconds * 1000,
    scopes: result.scopes ?? entry.record.scopes,
    refreshToken: result.refreshToken === null
      ? sealed
      : await ctx.cipher.seal(result.refreshToken, entry.id),
  };
  if (await ctx.store.replaceSession(entry, record)) {
    const scope = scopeOf(ctx, request);
    const token = readCookie(request, SESSION_COOKIE, scope)!;
    return {
      session: toAuthSession({ ...entry, record }),
      setCookies: [setCookie(SESSION_COOKIE, token, scope, ctx.settings.sessionTtlSeconds)],
    };
  }
  // Another refresh or a revocation changed it meanwhile: what is stored now wins.
  return _stored(ctx, entry.id);
}

/** The session as stored now, its cookie unchanged, or `null` once it ended. */
async function _stored(ctx: BackendContext, id: string): Promise<RefreshedSession | null> {
  const current = await ctx.store.readSession(id);
  return current === null ? null : { session: toAuthSession(current), setCookies: [] };
}

/**
 * Ends a session whose refresh failed, unless another refresh replaced it
 * meanwhile (with rotated tokens, the slower of two concurrent refreshes is
 * refused although the session goes on).
 */
async function _end(
  ctx: BackendContext,
  entry: SessionEntry,
  why: string,
): Promise<RefreshedSession | null> {
  if (await ctx.store.deleteSessionIfUnchanged(entry)) {
    ctx.logger?.info("session ended: refresh refused", {
      backend: "kv-oauth",
      userId: entry.record.userId,
      sessionId: entry.id,
      reason: why,
    });
    return null;
  }
  return _stored(ctx, entry.id);
}
