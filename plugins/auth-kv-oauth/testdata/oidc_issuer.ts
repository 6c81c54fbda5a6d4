/**
 * A local OpenID Connect issuer for the tests: `oidc-provider` with its
 * development login and consent pages, PKCE (S256) required, refresh tokens
 * issued and rotated, and two accounts (`alice` with the role `admin`, and
 * any other login without roles). It listens on a free port of 127.0.0.1
 * and prints `ISSUER <url>` on its first line of output.
 *
 * Settings come from the environment: `OIDC_CLIENT_ID`,
 * `OIDC_CLIENT_SECRET` and `OIDC_REDIRECT_URIS` (comma-separated).
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env --allow-read --allow-sys testdata/oidc_issuer.ts`.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import * as jose from "jose";

const clientId = Deno.env.get("OIDC_CLIENT_ID") ?? "netscript-test";
const clientSecret = Deno.env.get("OIDC_CLIENT_SECRET") ?? "test-client-secret";
const redirectUris = (Deno.env.get("OIDC_REDIRECT_URIS") ?? "http://127.0.0.1:4011/auth/callback")
  .split(",");

let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer((req, res) => handle(req, res));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingKey = {
  ...(await jose.exportJWK(privateKey)),
  kid: "test-1",
  alg: "RS256",
  use: "sig",
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  }],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "roles"] },
  issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
    client.grantTypeAllowed("refresh_token"),
  rotateRefreshToken: true,
  findAccount(_ctx: unknown, id: string) {
    return {
      accountId: id,
      claims: () => ({
        sub: id,
        email: `${id}@example.test`,
        email_verified: true,
        name: id === "alice" ? "Alice Example" : id,
        ...(id === "alice" ? { roles: ["admin"] } : {}),
      }),
    };
  },
  cookies: { keys: ["test-cookie-key-not-a-secret"] },
});
handle = provider.callback();
console.log(`ISSUER ${issuer}`);
