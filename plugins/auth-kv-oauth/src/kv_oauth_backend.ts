/**
 * {@linkcode createKvOAuthBackend}: the interactive OpenID Connect backend
 * of the auth port, with its sign-ins and sessions in Deno KV.
 *
 * @module
 */
import {
  type AuthBackendPort,
  type AuthCapability,
  type AuthSession,
  clearCookie,
  type RefreshedSession,
  type SignInOptions,
} from "@netscript/plugin-auth-core";
import {
  BACKEND_NAME,
  type BackendContext,
  redirect,
  scopeOf,
  SESSION_COOKIE,
  sessionOfRequest,
  toAuthSession,
} from "./backend_context.ts";
import { type KvOAuthBackendOptions, resolveSettings } from "./kv_oauth_settings.ts";
import { OidcClient } from "./oidc_client.ts";
import { isRandomToken } from "./random_token.ts";
import { RefreshTokenCipher } from "./refresh_token_cipher.ts";
import { refreshSession } from "./refresh_session.ts";
import { SessionStore } from "./session_store.ts";
import { beginSignIn, finishSignIn } from "./sign_in_flow.ts";

/** Everything the port names: kv-oauth can do it all. */
const CAPABILITIES: ReadonlySet<AuthCapability> = new Set<AuthCapability>([
  "interactive-sign-in",
  "refresh",
  "manage-sessions",
]);

/**
 * Creates the kv-oauth backend: the OpenID Connect authorization code flow
 * with PKCE (S256), `state` and `nonce` against `issuer`, sessions in
 * `kv` behind an `HttpOnly`, `SameSite=Lax` cookie (`__Host-` and `Secure`
 * on https), refresh tokens encrypted under a key derived from `secret`.
 * The provider's discovery document is read on first use and kept.
 *
 * @param options The provider, the client, the secret, the store and the lifetimes.
 * @returns The backend; `close()` leaves `kv` open.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` or `AUTH_SETTING_INVALID`, naming the option.
 * @throws {RangeError} For a lifetime that is not a positive whole number, or scopes without `openid`.
 *
 * @example
 * ```ts
 * import { createKvOAuthBackend } from "@netscript/auth-kv-oauth";
 *
 * const kv = await Deno.openKv(":memory:");
 * const backend = await createKvOAuthBackend({
 *   issuer: "https://id.example.com",
 *   clientId: "my-app",
 *   clientSecret: "from-the-provider",
 *   secret: "at-least-32-characters-of-random-text",
 *   kv,
 * });
 * console.log(backend.name, backend.capabilities.has("refresh")); // "kv-oauth" true
 * await backend.close();
 * kv.close();
 * ```
 */
export function createKvOAuthBackend(options: KvOAuthBackendOptions): Promise<AuthBackendPort> {
  // The executor turns a refused option into a rejected promise, as an async function would.
  return new Promise((resolve) => resolve(new KvOAuthBackend(options, false)));
}

/** The backend; `ownsKv` tells whether `close()` closes the store. */
export class KvOAuthBackend implements AuthBackendPort {
  /** `kv-oauth`. */
  readonly name: string = BACKEND_NAME;
  /** All three capabilities. */
  readonly capabilities: ReadonlySet<AuthCapability> = CAPABILITIES;
  readonly #ctx: BackendContext;
  readonly #kv: Deno.Kv;
  readonly #ownsKv: boolean;
  #closed = false;

  /**
   * Checks the options and prepares the backend; nothing is fetched yet.
   *
   * @param options The options.
   * @param ownsKv Whether `close()` closes `options.kv`.
   */
  constructor(options: KvOAuthBackendOptions, ownsKv: boolean) {
    const settings = resolveSettings(options);
    const clock = options.now ?? (() => new Date());
    const now = () => clock().getTime();
    this.#kv = options.kv;
    this.#ownsKv = ownsKv;
    this.#ctx = {
      settings,
      store: new SessionStore(options.kv, now),
      oidc: new OidcClient(settings, options.fetch ?? globalThis.fetch),
      cipher: new RefreshTokenCipher(settings.secret),
      logger: options.logger,
      now,
    };
  }

  /** {@inheritDoc AuthBackendPort.signIn} */
  signIn(request: Request, options: SignInOptions): Promise<Response> {
    return beginSignIn(this.#ctx, request, options);
  }

  /** {@inheritDoc AuthBackendPort.callback} */
  callback(request: Request): Promise<Response> {
    return finishSignIn(this.#ctx, request);
  }

  /** {@inheritDoc AuthBackendPort.session} */
  async session(request: Request): Promise<AuthSession | null> {
    const entry = await sessionOfRequest(this.#ctx, request);
    return entry === null ? null : toAuthSession(entry);
  }

  /** {@inheritDoc AuthBackendPort.signOut} */
  async signOut(request: Request): Promise<Response> {
    const entry = await sessionOfRequest(this.#ctx, request);
    if (entry !== null) {
      await this.#ctx.store.deleteSession(entry);
      this.#ctx.logger?.info("signed out", {
        backend: BACKEND_NAME,
        userId: entry.record.userId,
        sessionId: entry.id,
      });
    }
    return redirect("/", [clearCookie(SESSION_COOKIE, scopeOf(this.#ctx, request))]);
  }

  /** {@inheritDoc AuthBackendPort.refresh} */
  refresh(request: Request): Promise<RefreshedSession | null> {
    return refreshSession(this.#ctx, request);
  }

  /** {@inheritDoc AuthBackendPort.listSessions} */
  async listSessions(userId: string): Promise<AuthSession[]> {
    const entries = await this.#ctx.store.listSessions(userId);
    return entries.map(toAuthSession);
  }

  /** {@inheritDoc AuthBackendPort.revokeSession} */
  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    if (!isRandomToken(sessionId)) return false;
    const entry = await this.#ctx.store.readSession(sessionId);
    if (entry === null || entry.record.userId !== userId) return false;
    await this.#ctx.store.deleteSession(entry);
    this.#ctx.logger?.info("session revoked", { backend: BACKEND_NAME, userId, sessionId });
    return true;
  }

  /** {@inheritDoc AuthBackendPort.close} */
  close(): Promise<void> {
    if (this.#ownsKv && !this.#closed) this.#kv.close();
    this.#closed = true;
    return Promise.resolve();
  }
}
