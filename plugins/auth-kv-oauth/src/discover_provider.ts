/**
 * Reading the OpenID provider's discovery document with `oauth4webapi`,
 * and the transport options every request to the provider takes.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import { classifyProviderError, providerUnavailable } from "./provider_errors.ts";

/** The options every `oauth4webapi` request takes here: its transport and whether http is allowed. */
export interface ProviderRequestOptions {
  /** `true` only for an issuer on this machine. */
  readonly [oauth.allowInsecureRequests]: boolean;
  /** The backend's `fetch`. */
  readonly [oauth.customFetch]: (
    url: string,
    init: oauth.CustomFetchOptions<string, unknown>,
  ) => Promise<Response>;
}

/** What the backend cannot work without. */
const REQUIRED_ENDPOINTS = ["authorization_endpoint", "token_endpoint", "jwks_uri"] as const;

/**
 * Reads `<issuer>/.well-known/openid-configuration` and checks that it
 * names this issuer and the endpoints the sign-in needs.
 *
 * @param issuer The issuer.
 * @param options The transport.
 * @returns The provider's metadata.
 * @throws {NetScriptError} `AUTH_PROVIDER_UNAVAILABLE`, also for a document
 * that names another issuer or lacks an endpoint.
 */
export async function discoverProvider(
  issuer: URL,
  options: ProviderRequestOptions,
): Promise<oauth.AuthorizationServer> {
  let server: oauth.AuthorizationServer;
  try {
    const response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...options });
    server = await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    const classified = classifyProviderError(error, {
      step: "discovery",
      refusal: "response-invalid",
    });
    throw classified.code === "AUTH_PROVIDER_UNAVAILABLE"
      ? classified
      : providerUnavailable("discovery", String(classified.details.check ?? classified.message));
  }
  for (const field of REQUIRED_ENDPOINTS) {
    if (typeof server[field] !== "string") {
      throw providerUnavailable("discovery", `its discovery document has no ${field}`);
    }
  }
  return server;
}
