/**
 * The OpenID Connect client of the backend, on `oauth4webapi`: discovery
 * (cached), the authorization URL with PKCE (S256), `state` and `nonce`,
 * the checks of the provider's redirect (state and the RFC 9207 `iss`
 * parameter), the code grant, the ID token's validation (signature through
 * the issuer's JWKS, `iss`, `aud`, `exp`, `nonce`), user info, and the
 * refresh grant.
 *
 * @module
 */
import type { AuthUser } from "@netscript/plugin-auth-core";
import * as oauth from "oauth4webapi";
import type { KvOAuthSettings } from "./kv_oauth_settings.ts";
import { discoverProvider, type ProviderRequestOptions } from "./discover_provider.ts";
import {
  type CallbackRefusal,
  callbackRefused,
  classifyProviderError,
  providerUnavailable,
  safeOAuthError,
  tokenResponseRefusal,
} from "./provider_errors.ts";
import { userFromClaims } from "./user_from_claims.ts";

/** What the authorization request needs. */
export interface AuthorizationRequest {
  /** The callback URL. */
  readonly redirectUri: string;
  /** The CSRF token echoed back. */
  readonly state: string;
  /** The value the ID token must carry. */
  readonly nonce: string;
  /** The PKCE verifier; its S256 challenge is sent. */
  readonly codeVerifier: string;
}

/** A finished code grant or refresh. */
export interface GrantResult {
  /** The user, from the validated ID token and user info (absent on a refresh without ID token). */
  readonly user: AuthUser | null;
  /** The refresh token, when the provider issued one. */
  readonly refreshToken: string | null;
  /** The granted scopes, when the provider named them. */
  readonly scopes: readonly string[] | null;
}

/** A refresh the provider no longer honours. */
export interface RefreshRefused {
  /** Marks the refusal. */
  readonly refused: true;
  /** Why: the OAuth error (`invalid_grant`), `id_token_invalid` or `id_token_subject_changed`. */
  readonly reason: string;
}

/** OAuth errors of a refresh grant that mean the session cannot go on. */
const REFRESH_REFUSALS: ReadonlySet<string> = new Set(["invalid_grant"]);

/** The provider as the backend uses it. */
export class OidcClient {
  readonly #settings: KvOAuthSettings;
  readonly #client: oauth.Client;
  readonly #options: ProviderRequestOptions;
  #server: Promise<oauth.AuthorizationServer> | null = null;

  /**
   * Prepares the client; nothing is fetched until it is used.
   *
   * @param settings The backend's settings.
   * @param fetcher How the provider is called.
   */
  constructor(settings: KvOAuthSettings, fetcher: typeof fetch) {
    this.#settings = settings;
    this.#client = { client_id: settings.clientId };
    this.#options = {
      [oauth.allowInsecureRequests]: settings.allowInsecureRequests,
      [oauth.customFetch]: (url, init) => fetcher(url, init as RequestInit),
    };
  }

  /**
   * The provider's metadata, read once and kept (read again after a failure).
   *
   * @returns The metadata.
   * @throws {NetScriptError} `AUTH_PROVIDER_UNAVAILABLE`.
   */
  server(): Promise<oauth.AuthorizationServer> {
    this.#server ??= discoverProvider(this.#settings.issuer, this.#options).catch((error) => {
      this.#server = null;
      throw error;
    });
    return this.#server;
  }

  /**
   * The URL to send the browser to.
   *
   * @param request The request's values.
   * @returns The provider's authorization URL with the request's parameters.
   * @throws {NetScriptError} `AUTH_PROVIDER_UNAVAILABLE` when discovery fails.
   */
  async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    const server = await this.server();
    const url = new URL(server.authorization_endpoint!);
    const parameters = {
      response_type: "code",
      client_id: this.#settings.clientId,
      redirect_uri: request.redirectUri,
      scope: this.#settings.scopes.join(" "),
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: "S256",
    };
    // Kept beside any parameter the endpoint itself carries (such as a tenant's policy).
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    return url;
  }

  /**
   * Checks the provider's redirect and exchanges its code.
   *
   * @param parameters The redirect's query.
   * @param request What the authorization request sent.
   * @returns The user and tokens.
   * @throws {NetScriptError} `AUTH_CALLBACK_INVALID` or `AUTH_PROVIDER_UNAVAILABLE`.
   */
  async exchangeCode(
    parameters: URLSearchParams,
    request: AuthorizationRequest,
  ): Promise<GrantResult & { readonly user: AuthUser }> {
    const server = await this.server();
    if (parameters.get("state") !== request.state) throw callbackRefused("state-mismatch");
    let checked: URLSearchParams;
    try {
      checked = oauth.validateAuthResponse(server, this.#client, parameters, request.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) {
        throw callbackRefused("provider-error", { oauthError: safeOAuthError(error.error) });
      }
      throw classifyProviderError(error, {
        step: "authorization response",
        refusal: "response-invalid",
      });
    }
    const response = await this.#call(
      "code grant",
      "response-invalid",
      () =>
        oauth.authorizationCodeGrantRequest(
          server,
          this.#client,
          this.#clientAuth(server),
          checked,
          request.redirectUri,
          request.codeVerifier,
          this.#options,
        ),
    );
    const tokens = await this.#call(
      "code grant",
      tokenResponseRefusal,
      () =>
        oauth.processAuthorizationCodeResponse(server, this.#client, response, {
          expectedNonce: request.nonce,
          requireIdToken: true,
        }),
    );
    await this.#checkSignature(server, response);
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    const info = await this.#userInfo(server, tokens.access_token, claims.sub);
    return {
      user: userFromClaims({ ...info, ...claims }),
      refreshToken: tokens.refresh_token ?? null,
      scopes: tokens.scope === undefined ? null : tokens.scope.split(" ").filter(Boolean),
    };
  }

  /**
   * Runs the refresh grant.
   *
   * @param refreshToken The session's refresh token.
   * @param userId Whose session it is: a new ID token must name the same user.
   * @returns The new tokens, or the refusal when the provider no longer
   * honours the token (`invalid_grant`) or answers with an ID token that
   * fails validation or names another user.
   * @throws {NetScriptError} `AUTH_PROVIDER_UNAVAILABLE`, also for another
   * OAuth error (such as `invalid_client`, a setting to fix at the provider).
   */
  async refresh(refreshToken: string, userId: string): Promise<GrantResult | RefreshRefused> {
    const server = await this.server();
    try {
      const response = await oauth.refreshTokenGrantRequest(
        server,
        this.#client,
        this.#clientAuth(server),
        refreshToken,
        this.#options,
      );
      const tokens = await oauth.processRefreshTokenResponse(server, this.#client, response);
      const claims = oauth.getValidatedIdTokenClaims(tokens);
      if (claims !== undefined) {
        await oauth.validateApplicationLevelSignature(server, response, this.#options);
        if (claims.sub !== userId) return { refused: true, reason: "id_token_subject_changed" };
      }
      return {
        user: claims === undefined ? null : userFromClaims(claims),
        refreshToken: tokens.refresh_token ?? null,
        scopes: tokens.scope === undefined ? null : tokens.scope.split(" ").filter(Boolean),
      };
    } catch (error) {
      const classified = classifyProviderError(error, {
        step: "refresh grant",
        refusal: tokenResponseRefusal(error),
      });
      if (classified.code === "AUTH_PROVIDER_UNAVAILABLE") throw classified;
      const { reason, oauthError } = classified.details;
      if (reason === "id-token-invalid") return { refused: true, reason: "id_token_invalid" };
      if (typeof oauthError === "string" && REFRESH_REFUSALS.has(oauthError)) {
        return { refused: true, reason: oauthError };
      }
      throw providerUnavailable(
        "refresh grant",
        `it refused the refresh with ${String(oauthError ?? classified.details.check)}`,
      );
    }
  }

  /**
   * How the client authenticates at the token endpoint: `client_secret_basic`
   * (the default of RFC 8414), or `client_secret_post` when the provider
   * lists only that one.
   */
  #clientAuth(server: oauth.AuthorizationServer): oauth.ClientAuth {
    const methods = server.token_endpoint_auth_methods_supported;
    return methods !== undefined && !methods.includes("client_secret_basic") &&
        methods.includes("client_secret_post")
      ? oauth.ClientSecretPost(this.#settings.clientSecret)
      : oauth.ClientSecretBasic(this.#settings.clientSecret);
  }

  async #checkSignature(server: oauth.AuthorizationServer, response: Response): Promise<void> {
    await this.#call(
      "ID token signature",
      "id-token-invalid",
      () => oauth.validateApplicationLevelSignature(server, response, this.#options),
    );
  }

  async #userInfo(
    server: oauth.AuthorizationServer,
    accessToken: string,
    subject: string,
  ): Promise<oauth.UserInfoResponse | Record<string, never>> {
    if (server.userinfo_endpoint === undefined) return {};
    const response = await this.#call(
      "user info",
      "userinfo-invalid",
      () => oauth.userInfoRequest(server, this.#client, accessToken, this.#options),
    );
    return await this.#call(
      "user info",
      "userinfo-invalid",
      () => oauth.processUserInfoResponse(server, this.#client, subject, response),
    );
  }

  async #call<T>(
    step: string,
    refusal: CallbackRefusal | ((error: unknown) => CallbackRefusal),
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyProviderError(error, {
        step,
        refusal: typeof refusal === "function" ? refusal(error) : refusal,
      });
    }
  }
}
