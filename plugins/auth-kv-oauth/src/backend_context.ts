/**
 * What the kv-oauth backend's operations share: its settings, store,
 * provider client, cipher, logger and clock, and the session cookie.
 *
 * @module
 */
import {
  type AuthSession,
  type CookieScope,
  cookieScope,
  readCookie,
} from "@netscript/plugin-auth-core";
import type { Logger } from "@netscript/telemetry";
import type { KvOAuthSettings } from "./kv_oauth_settings.ts";
import type { OidcClient } from "./oidc_client.ts";
import { isRandomToken, sessionIdOf } from "./random_token.ts";
import type { RefreshTokenCipher } from "./refresh_token_cipher.ts";
import type { SessionEntry, SessionStore } from "./session_store.ts";

/** The backend's name, as `NETSCRIPT_AUTH_BACKEND` selects it. */
export const BACKEND_NAME = "kv-oauth";

/** The cookie that names a pending sign-in (`__Host-` prefixed on https). */
export const SIGN_IN_COOKIE = "netscript-signin";

/** The cookie that holds the session token (`__Host-` prefixed on https). */
export const SESSION_COOKIE = "netscript-session";

/** The path the provider redirects back to. */
export const CALLBACK_PATH = "/auth/callback";

/** What the backend's operations work with. */
export interface BackendContext {
  /** The checked settings. */
  readonly settings: KvOAuthSettings;
  /** The records. */
  readonly store: SessionStore;
  /** The provider. */
  readonly oidc: OidcClient;
  /** The refresh tokens' cipher. */
  readonly cipher: RefreshTokenCipher;
  /** Where events are reported, if anywhere. */
  readonly logger: Logger | undefined;
  /** The clock, in epoch milliseconds. */
  readonly now: () => number;
}

/**
 * The cookie scope of a request: https when the public URL (or, without
 * one, the request) is.
 *
 * @param ctx The backend.
 * @param request The request.
 * @returns The scope.
 */
export function scopeOf(ctx: BackendContext, request: Request): CookieScope {
  return cookieScope(request, ctx.settings.publicOrigin ?? undefined);
}

/**
 * The session a request's cookie names, or `null`: a missing or malformed
 * cookie, or a session that is unknown or ended.
 *
 * @param ctx The backend.
 * @param request The request.
 * @returns The stored session.
 */
export async function sessionOfRequest(
  ctx: BackendContext,
  request: Request,
): Promise<SessionEntry | null> {
  const token = readCookie(request, SESSION_COOKIE, scopeOf(ctx, request));
  if (!isRandomToken(token)) return null;
  return await ctx.store.readSession(await sessionIdOf(token));
}

/**
 * The port's view of a stored session.
 *
 * @param entry The stored session.
 * @returns The session.
 */
export function toAuthSession(entry: SessionEntry): AuthSession {
  const { record } = entry;
  return {
    id: entry.id,
    user: record.user,
    backend: BACKEND_NAME,
    createdAt: new Date(record.createdAt),
    expiresAt: new Date(record.expiresAt),
    scopes: record.scopes,
  };
}

/**
 * A redirect response.
 *
 * @param location Where to.
 * @param cookies `Set-Cookie` values.
 * @returns A 302 that no cache keeps.
 */
export function redirect(location: string, cookies: readonly string[]): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 302, headers });
}
