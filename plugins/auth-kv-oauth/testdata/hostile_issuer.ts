/**
 * A hostile OpenID provider for the tests, built with `jose`: an attacker's
 * stand-in that serves a discovery document (advertising `none` and
 * `HS256` among its signing algorithms), its JWKS, an authorization
 * endpoint that redirects straight back with a code, and a token endpoint
 * answering with an ID token crafted as {@linkcode HostileIssuer.mode} says.
 * It runs in the test's process on a free port of 127.0.0.1.
 *
 * @module
 */
import * as jose from "jose";

/** What the token endpoint's ID token is. */
export type HostileMode =
  /** A well-formed token signed with the published key: the control case. */
  | "valid"
  /** `alg: none`, no signature. */
  | "alg-none"
  /** HS256 with the client secret as the key (RS/HS confusion). */
  | "hs256-client-secret"
  /** Signed with another RSA key under the published key's `kid`. */
  | "foreign-key"
  /** Signed properly, expired an hour ago. */
  | "expired"
  /** Signed properly, for another client. */
  | "wrong-audience"
  /** Signed properly, with another issuer in `iss`. */
  | "wrong-issuer"
  /** No token: the token endpoint answers 503. */
  | "token-endpoint-down";

/** A running hostile provider. */
export interface HostileIssuer {
  /** Its issuer URL. */
  readonly issuer: string;
  /** What the next ID token will be. */
  mode: HostileMode;
  /** Every ID token it issued. */
  readonly issued: string[];
  /** How many times its discovery document was read. */
  readonly discoveries: number;
  /** Stops it. */
  close(): Promise<void>;
}

const KID = "hostile-1";

/**
 * Starts the hostile provider.
 *
 * @param client The client id it issues tokens for and the client secret it knows.
 * @returns The running provider.
 */
export async function startHostileIssuer(
  client: { readonly clientId: string; readonly clientSecret: string },
): Promise<HostileIssuer> {
  const published = await jose.generateKeyPair("RS256");
  const foreign = await jose.generateKeyPair("RS256");
  const jwk = {
    ...(await jose.exportJWK(published.publicKey)),
    kid: KID,
    alg: "RS256",
    use: "sig",
  };
  const nonces = new Map<string, string>();
  const state: { issuer: string; mode: HostileMode; issued: string[]; discoveries: number } = {
    issuer: "",
    mode: "valid",
    issued: [],
    discoveries: 0,
  };

  const idToken = async (nonce: string): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: state.mode === "wrong-issuer" ? "https://elsewhere.example" : state.issuer,
      sub: "mallory",
      aud: state.mode === "wrong-audience" ? "another-client" : client.clientId,
      iat: state.mode === "expired" ? now - 7200 : now,
      exp: state.mode === "expired" ? now - 3600 : now + 300,
      nonce,
      email: "mallory@example.test",
    };
    switch (state.mode) {
      case "alg-none":
        return new jose.UnsecuredJWT(claims).encode();
      case "hs256-client-secret":
        return await new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: KID })
          .sign(new TextEncoder().encode(client.clientSecret));
      case "foreign-key":
        return await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: KID })
          .sign(foreign.privateKey);
      default:
        return await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: KID })
          .sign(published.privateKey);
    }
  };

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const url = new URL(request.url);
      switch (url.pathname) {
        case "/.well-known/openid-configuration":
          state.discoveries++;
          return Response.json({
            issuer: state.issuer,
            authorization_endpoint: `${state.issuer}/authorize`,
            token_endpoint: `${state.issuer}/token`,
            jwks_uri: `${state.issuer}/jwks`,
            response_types_supported: ["code"],
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: ["RS256", "HS256", "none"],
            token_endpoint_auth_methods_supported: ["client_secret_basic"],
            authorization_response_iss_parameter_supported: true,
          });
        case "/jwks":
          return Response.json({ keys: [jwk] });
        case "/authorize": {
          const code = crypto.randomUUID();
          nonces.set(code, url.searchParams.get("nonce") ?? "");
          const back = new URL(url.searchParams.get("redirect_uri")!);
          back.search = new URLSearchParams({
            code,
            state: url.searchParams.get("state") ?? "",
            iss: state.issuer,
          }).toString();
          return Response.redirect(back, 302);
        }
        case "/token": {
          const form = new URLSearchParams(await request.text());
          if (state.mode === "token-endpoint-down") {
            return new Response("upstream down", { status: 503 });
          }
          const nonce = nonces.get(form.get("code") ?? "");
          if (nonce === undefined) {
            return Response.json({ error: "invalid_grant" }, {
              status: 400,
            });
          }
          nonces.delete(form.get("code")!);
          const token = await idToken(nonce);
          state.issued.push(token);
          return Response.json({
            access_token: crypto.randomUUID(),
            token_type: "Bearer",
            expires_in: 300,
            id_token: token,
          }, { headers: { "cache-control": "no-store" } });
        }
        default:
          return new Response("not found", { status: 404 });
      }
    },
  );
  state.issuer = `http://127.0.0.1:${server.addr.port}`;
  return {
    get issuer() {
      return state.issuer;
    },
    get mode() {
      return state.mode;
    },
    set mode(mode: HostileMode) {
      state.mode = mode;
    },
    issued: state.issued,
    get discoveries() {
      return state.discoveries;
    },
    close: () => server.shutdown(),
  };
}
