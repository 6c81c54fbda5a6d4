/**
 * The auth backend port: what `auth-api` and the services' guard need from
 * an identity backend, and nothing provider-specific. Three backends
 * implement it: `@netscript/auth-kv-oauth` (the interactive OIDC sign-in),
 * `@netscript/auth-workos` and `@netscript/auth-better-auth` (they validate
 * the sessions their own sign-in made). Each says what it can do in
 * `capabilities`; an operation outside them throws
 * {@linkcode AuthBackendOperationUnsupportedError}.
 *
 * @module
 */
import type { AuthSession } from "../auth_types.ts";

/**
 * What a backend can do beyond reading a request's session:
 * `interactive-sign-in` (`signIn` and `callback`), `refresh`, and
 * `manage-sessions` (`listSessions` and `revokeSession`).
 */
export const AUTH_CAPABILITIES = ["interactive-sign-in", "refresh", "manage-sessions"] as const;

/** One of {@linkcode AUTH_CAPABILITIES}. */
export type AuthCapability = typeof AUTH_CAPABILITIES[number];

/** Options of {@linkcode AuthBackendPort.signIn}. */
export interface SignInOptions {
  /**
   * Where to send the user once signed in: a path on this site, checked
   * with `safeRedirectPath` before the sign-in begins.
   */
  readonly redirectTo: string;
}

/** What {@linkcode AuthBackendPort.refresh} answers. */
export interface RefreshedSession {
  /** The session, with a later `expiresAt`. */
  readonly session: AuthSession;
  /**
   * The `Set-Cookie` values to send with the answer: the renewed cookie
   * (a later `Max-Age`, or a new sealed value the browser must keep).
   * Empty when the cookie did not change.
   */
  readonly setCookies: readonly string[];
}

/**
 * An identity backend. Methods that read a request never throw for what the
 * request holds (a missing, forged, expired or revoked credential is `null`
 * or a refusal with a code); they throw `AUTH_PROVIDER_UNAVAILABLE` or a
 * store code when what they depend on cannot be reached.
 */
export interface AuthBackendPort {
  /** The backend's name, as `NETSCRIPT_AUTH_BACKEND` selects it: `kv-oauth`, `workos`, `better-auth`. */
  readonly name: string;
  /** What it can do beyond {@linkcode AuthBackendPort.session}. */
  readonly capabilities: ReadonlySet<AuthCapability>;
  /**
   * Begins an interactive sign-in: answers a redirect to the identity
   * provider, with what the callback needs to finish it kept server-side
   * and named by a short-lived cookie.
   *
   * @param request The browser's request.
   * @param options Where to return to afterwards.
   * @returns The redirect.
   * @throws {AuthBackendOperationUnsupportedError} Without `interactive-sign-in`.
   * @throws {NetScriptError} `AUTH_REDIRECT_INVALID` for a `redirectTo` that is not a path on this site.
   */
  signIn(request: Request, options: SignInOptions): Promise<Response>;
  /**
   * Finishes an interactive sign-in from the provider's redirect back:
   * checks it, starts a session, and answers a redirect to where the
   * sign-in was to return, with the session cookie.
   *
   * @param request The provider's redirect back, as the browser follows it.
   * @returns The redirect, with the session cookie.
   * @throws {AuthBackendOperationUnsupportedError} Without `interactive-sign-in`.
   * @throws {NetScriptError} `AUTH_CALLBACK_INVALID` when the answer is refused; nothing is signed in.
   */
  callback(request: Request): Promise<Response>;
  /**
   * The session a request carries (its cookie or bearer credential), or
   * `null` when it carries none, or one that is forged, expired or revoked.
   *
   * @param request Any request.
   * @returns The session, or `null`.
   */
  session(request: Request): Promise<AuthSession | null>;
  /**
   * Ends the session the request carries, if any, and answers a redirect
   * to `/` that clears its cookie. Only the caller's own session ends.
   *
   * @param request The caller's request.
   * @returns The redirect.
   */
  signOut(request: Request): Promise<Response>;
  /**
   * Refreshes the session the request carries with the provider (new
   * tokens, a later `expiresAt`).
   *
   * @param request The caller's request.
   * @returns The refreshed session and the cookies to send back, or `null`
   * when the request carries none or the provider no longer honours it
   * (the session then ends).
   * @throws {AuthBackendOperationUnsupportedError} Without `refresh`.
   */
  refresh(request: Request): Promise<RefreshedSession | null>;
  /**
   * The sessions of one user that have not ended, newest first.
   *
   * @param userId The user's id.
   * @returns Their sessions.
   * @throws {AuthBackendOperationUnsupportedError} Without `manage-sessions`.
   */
  listSessions(userId: string): Promise<AuthSession[]>;
  /**
   * Ends one session of a user, at once for every service that checks it.
   *
   * @param userId The user whose session it must be.
   * @param sessionId The session.
   * @returns `false` when no such session of that user exists: another
   * user's session is never ended.
   * @throws {AuthBackendOperationUnsupportedError} Without `manage-sessions`.
   */
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  /** Releases what the backend holds open (its store). */
  close(): Promise<void>;
}
