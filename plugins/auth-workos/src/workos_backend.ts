/**
 * The WorkOS auth backend: reads the sealed `wos-session` cookie AuthKit's
 * own sign-in sets, verifies its access token against WorkOS's signing
 * keys, and refreshes it through the WorkOS API, once per cookie however
 * many requests ask at the same time.
 *
 * @module
 */
import {
  AuthBackendOperationUnsupportedError,
  type AuthBackendPort,
  type AuthCapability,
  type AuthSession,
  type RefreshedSession,
} from "@netscript/plugin-auth-core";
import { createLogger, type Logger } from "@netscript/telemetry";
import { type AccessTokenClaims, type SessionCookieData, WorkOS } from "@workos-inc/node";
import { decodeJwt } from "jose";
import { providerUnavailable } from "./provider_unavailable.ts";
import {
  readSessionCookie,
  sessionClearCookie,
  type SessionCookieSettings,
  sessionSetCookie,
} from "./session_cookie.ts";
import { createSingleFlight, type SingleFlight } from "./single_flight.ts";
import {
  checkWorkosBackendOptions,
  DEFAULT_COOKIE_MAX_AGE_SECONDS,
  type WorkosBackendOptions,
} from "./workos_backend_options.ts";
import { WORKOS_BACKEND_NAME, workosSession } from "./workos_session.ts";

/**
 * Creates the WorkOS backend. It validates the sealed session cookie that
 * AuthKit's own sign-in sets: `session()` unseals it with the cookie
 * password and verifies its access token with WorkOS's signing keys
 * (fetched once from `/sso/jwks/<clientId>`, then cached); `refresh()`
 * trades its refresh token for new tokens. It cannot run a sign-in, list
 * sessions or end one by id: those throw
 * {@linkcode AuthBackendOperationUnsupportedError}.
 *
 * `refresh()` answers the new sealed cookie with the session: the caller
 * must send it, since the old cookie's refresh token is used up. Every
 * refresh of the same cookie while one is in flight shares that one call
 * to WorkOS (a refresh token works once).
 * `signOut()` clears the cookie and redirects to `/`; it does not end the
 * session at WorkOS (AuthKit's logout URL does, and is not used here).
 *
 * @param options The API key, client id, cookie password and where WorkOS is.
 * @returns The backend.
 * @throws {TypeError} For an empty API key, client id or cookie name.
 * @throws {RangeError} For a cookie password under 32 characters, a port
 * or cookie lifetime that is not a positive integer.
 *
 * @example
 * ```ts
 * import { createWorkosBackend } from "@netscript/auth-workos";
 *
 * const backend = await createWorkosBackend({
 *   apiKey: "sk_test_example",
 *   clientId: "client_example",
 *   cookiePassword: "a-password-of-at-least-32-characters!",
 * });
 * console.log(await backend.session(new Request("https://app.example/"))); // null: no cookie
 * await backend.close();
 * ```
 */
// deno-lint-ignore require-await -- bad options reject, like every other failure
export async function createWorkosBackend(
  options: WorkosBackendOptions,
): Promise<AuthBackendPort> {
  checkWorkosBackendOptions(options);
  return new _WorkosBackend(options);
}

class _WorkosBackend implements AuthBackendPort {
  readonly name = WORKOS_BACKEND_NAME;
  readonly capabilities: ReadonlySet<AuthCapability> = new Set<AuthCapability>(["refresh"]);
  readonly #workos: WorkOS;
  readonly #cookiePassword: string;
  readonly #cookie: SessionCookieSettings;
  readonly #logger: Logger;
  readonly #refreshes: SingleFlight<RefreshedSession | null> = createSingleFlight();

  constructor(options: WorkosBackendOptions) {
    this.#cookiePassword = options.cookiePassword;
    this.#logger = options.logger ?? createLogger({ service: "auth-workos" });
    this.#cookie = {
      name: options.cookieName ?? "wos-session",
      domain: options.cookieDomain,
      maxAgeSeconds: options.cookieMaxAgeSeconds ?? DEFAULT_COOKIE_MAX_AGE_SECONDS,
    };
    this.#workos = new WorkOS(options.apiKey, {
      clientId: options.clientId,
      https: options.https ?? true,
      ...(options.apiHostname === undefined ? {} : { apiHostname: options.apiHostname }),
      ...(options.apiPort === undefined ? {} : { port: options.apiPort }),
    });
  }

  signIn(): Promise<Response> {
    return _unsupported("signIn", "interactive-sign-in");
  }

  callback(): Promise<Response> {
    return _unsupported("callback", "interactive-sign-in");
  }

  listSessions(): Promise<AuthSession[]> {
    return _unsupported("listSessions", "manage-sessions");
  }

  revokeSession(): Promise<boolean> {
    return _unsupported("revokeSession", "manage-sessions");
  }

  async session(request: Request): Promise<AuthSession | null> {
    const sealed = readSessionCookie(request, this.#cookie.name);
    if (sealed === null) return null;
    const data = await this.#unseal(sealed);
    if (data === null) return null;
    const claims = await this.#verify(data.accessToken);
    if (claims === null) return this.#refused("session cookie", "its token failed verification");
    return workosSession(claims, data.user);
  }

  refresh(request: Request): Promise<RefreshedSession | null> {
    const sealed = readSessionCookie(request, this.#cookie.name);
    if (sealed === null) return Promise.resolve(null);
    // Keyed by the cookie, taken before any await: every request carrying it shares one refresh.
    return this.#refreshes.run(sealed, () => this.#refresh(request, sealed));
  }

  signOut(request: Request): Promise<Response> {
    return Promise.resolve(
      new Response(null, {
        status: 302,
        headers: { location: "/", "set-cookie": sessionClearCookie(request, this.#cookie) },
      }),
    );
  }

  close(): Promise<void> {
    return this.#refreshes.settled();
  }

  /** Trades the cookie's refresh token for new tokens and a new sealed cookie. */
  async #refresh(request: Request, sealed: string): Promise<RefreshedSession | null> {
    const data = await this.#unseal(sealed);
    if (data === null) return null;
    if (typeof data.refreshToken !== "string" || data.refreshToken === "" || !data.user) {
      return this.#refused("refresh", "the cookie holds no refresh token");
    }
    if (!_isJwt(data.accessToken)) return this.#refused("refresh", "the cookie's token is no JWT");
    const session = this.#workos.userManagement.loadSealedSession({
      sessionData: sealed,
      cookiePassword: this.#cookiePassword,
    });
    let result: Awaited<ReturnType<typeof session.refresh>>;
    try {
      result = await session.refresh();
    } catch (error) {
      throw this.#unavailable("refresh a session", error);
    }
    if (!result.authenticated) {
      if (result.retryable) {
        throw this.#unavailable("refresh a session", result.error ?? result.reason);
      }
      return this.#refused("refresh", result.reason);
    }
    const accessToken = result.session?.accessToken;
    if (result.sealedSession === undefined || accessToken === undefined) {
      throw this.#unavailable("refresh a session", "the answer holds no sealed session");
    }
    const claims = await this.#verify(accessToken);
    if (claims === null) {
      throw this.#unavailable("refresh a session", "the new access token failed verification");
    }
    return {
      session: workosSession(claims, result.user),
      setCookies: [sessionSetCookie(request, this.#cookie, result.sealedSession)],
    };
  }

  /** The cookie's content, or `null` when it is not one this password sealed. */
  async #unseal(sealed: string): Promise<SessionCookieData | null> {
    let data: SessionCookieData | undefined;
    try {
      data = await this.#workos.userManagement.getSessionFromCookie({
        sessionData: sealed,
        cookiePassword: this.#cookiePassword,
      });
    } catch (error) {
      // Only the cookie's own bytes are read here: a throw means they are malformed.
      return this.#refused("session cookie", `malformed (${_name(error)})`);
    }
    return typeof data?.accessToken === "string" && data.accessToken !== ""
      ? data
      : this.#refused("session cookie", "not sealed with this cookie password");
  }

  /** The token's claims, or `null` when refused; throws when the keys cannot be fetched. */
  async #verify(accessToken: string): Promise<AccessTokenClaims | null> {
    try {
      return await this.#workos.userManagement.verifyAccessToken(accessToken);
    } catch (error) {
      // The library answers null for every refused token and throws only when it cannot check.
      throw this.#unavailable("fetch the signing keys to verify a session", error);
    }
  }

  #unavailable(action: string, cause: unknown): Error {
    return providerUnavailable(this.#workos.baseURL, action, cause);
  }

  /** Logs why a cookie or refresh was refused (a reason, never its content) and answers `null`. */
  #refused(what: string, reason: string): null {
    this.#logger.debug(`workos ${what} refused`, { backend: WORKOS_BACKEND_NAME, reason });
    return null;
  }
}

/** Rejects with the error for an operation the backend lacks. */
function _unsupported(operation: string, capability: AuthCapability): Promise<never> {
  return Promise.reject(
    new AuthBackendOperationUnsupportedError(WORKOS_BACKEND_NAME, operation, capability),
  );
}

/** Whether a value decodes as a JWT (not whether it is valid). */
function _isJwt(token: string): boolean {
  try {
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}

/** An error's class name, for a log line that must not quote what it held. */
function _name(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
