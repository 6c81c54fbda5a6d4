/**
 * End to end: a workspace from `netscript init --link` gets the auth plugin
 * with `netscript plugin add auth`, is pointed at a real local OpenID
 * Connect issuer (`oidc-provider`) through `.env`, and runs under
 * `netscript dev` with no edit to the host. A browser (fetch with a cookie
 * jar, following the issuer's login and consent pages) signs in through
 * `auth-api`, lands on the page it asked for with a session, reads it, and
 * signs out; an open redirect is refused before the issuer is involved.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { CookieJar, signInAtProvider } from "../plugins/auth-kv-oauth/testdata/headless_browser.ts";
import { startOidcIssuer } from "../plugins/auth-kv-oauth/testdata/start_oidc_issuer.ts";
import { withPluginApp } from "./support/plugin_app.ts";

/** auth-api's default port: the issuer only redirects back to a registered URL. */
const AUTH_API = "http://127.0.0.1:8094";
const CLIENT_ID = "netscript-e2e";
const CLIENT_SECRET = "e2e-client-secret";

/** Sends a request as the browser: its cookies, no redirect followed, the body read. */
async function browse(jar: CookieJar, url: string, init: RequestInit = {}) {
  const cookie = jar.header(url);
  const response = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...(cookie === "" ? {} : { cookie }) },
  });
  jar.store(url, response);
  const text = await response.text();
  return {
    status: response.status,
    location: response.headers.get("location"),
    body: text.startsWith("{") ? JSON.parse(text) : text,
  };
}

Deno.test("plugin add auth signs a browser in through a local OIDC issuer under netscript dev", async (t) => {
  const issuer = await startOidcIssuer({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${AUTH_API}/auth/callback`],
  });
  try {
    await withPluginApp(t, {
      plugins: ["auth"],
      files: {
        "plugins/auth/plugin.ts": `import { defineAuthPlugin } from "@netscript/plugin-auth";

export default defineAuthPlugin({ providerPermissions: { net: ["127.0.0.1"] } });
`,
      },
      typeCheck: ["plugins/auth"],
      processors: [],
      env: [
        `AUTH_OIDC_ISSUER=${issuer.issuer}`,
        `AUTH_OIDC_CLIENT_ID=${CLIENT_ID}`,
        `AUTH_OIDC_CLIENT_SECRET=${CLIENT_SECRET}`,
        "AUTH_SECRET=an-e2e-secret-of-at-least-32-characters",
      ],
    }, async (app) => {
      equal(app.url("auth-api"), AUTH_API, "auth-api listens on its default port");
      const jar = new CookieJar();

      await t.step("an open redirect is refused before the issuer is involved", async () => {
        const refused = await browse(jar, `${AUTH_API}/auth/signin?redirectTo=//evil.example`);
        equal(refused.status, 400);
        equal(refused.body.code, "AUTH_REDIRECT_INVALID");
        equal(refused.location, null);
      });

      await t.step("the browser signs in at the issuer and comes back with a session", async () => {
        const started = await browse(jar, `${AUTH_API}/auth/signin?redirectTo=/api/session`);
        equal(started.status, 302);
        match(started.location!, new RegExp(`^${issuer.issuer}/`));
        const back = await signInAtProvider(jar, started.location!, "ada");
        const landed = await browse(jar, back.href);
        equal(landed.status, 302, JSON.stringify(landed.body));
        equal(landed.location, "/api/session");
        const session = await browse(jar, `${AUTH_API}/api/session`);
        equal(session.status, 200, JSON.stringify(session.body));
        deepEqual(
          {
            id: session.body.user.id,
            email: session.body.user.email,
            backend: session.body.backend,
          },
          { id: "ada", email: "ada@example.test", backend: "kv-oauth" },
        );
        equal(session.body.current, true);
      });

      await t.step("sign-out ends the session", async () => {
        const out = await browse(jar, `${AUTH_API}/auth/signout`, { method: "POST" });
        equal(out.status, 302);
        equal(out.location, "/");
        const gone = await browse(jar, `${AUTH_API}/api/session`);
        equal(gone.status, 401);
        equal(gone.body.code, "UNAUTHORIZED");
      });
    });
  } finally {
    await issuer.close();
  }
});
