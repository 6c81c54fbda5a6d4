/**
 * End to end: a workspace from `netscript init --link` with the workers
 * plugin gets the auth plugin with `netscript plugin add auth`, is pointed
 * at a real local OpenID Connect issuer (`oidc-provider`) through `.env`,
 * and runs under `netscript dev` with no edit to the host. From then on the
 * sample app's writes and every `workers-api` route need a session or a
 * service credential. A browser (fetch with a cookie jar, following the
 * issuer's login and consent pages) signs in through `auth-api`, lands on
 * the page it asked for with a session, reads it, writes through the
 * guarded services, and signs out, after which its old cookie is refused
 * by the next request; a service credential made from the workspace's
 * `NETSCRIPT_SERVICE_SECRET` (which `netscript dev` hands every process)
 * gets in, one made from another secret does not; an open redirect is
 * refused before the issuer is involved.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { mintServiceCredential, serviceSecretKey } from "@netscript/contracts/credential";
import { CookieJar, signInAtProvider } from "../plugins/auth-kv-oauth/testdata/headless_browser.ts";
import { startOidcIssuer } from "../plugins/auth-kv-oauth/testdata/start_oidc_issuer.ts";
import { readPanel, withPluginApp } from "./support/plugin_app.ts";

/** auth-api's default port: the issuer only redirects back to a registered URL. */
const AUTH_API = "http://127.0.0.1:8094";
const CLIENT_ID = "netscript-e2e";
const CLIENT_SECRET = "e2e-client-secret";
const SERVICE_SECRET = "an-e2e-service-secret-of-32-characters-or-more";

/** Sends a request as the browser: its cookies, no redirect followed, the body read. */
async function browse(
  jar: CookieJar,
  url: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
) {
  const cookie = jar.header(url);
  const response = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...init.headers, ...(cookie === "" ? {} : { cookie }) },
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
      plugins: ["workers", "auth"],
      files: {
        "plugins/auth/plugin.ts": `import { defineAuthPlugin } from "@netscript/plugin-auth";

export default defineAuthPlugin({ providerPermissions: { net: ["127.0.0.1"] } });
`,
      },
      typeCheck: ["plugins/auth", "services/api"],
      processors: [],
      env: [
        `AUTH_OIDC_ISSUER=${issuer.issuer}`,
        `AUTH_OIDC_CLIENT_ID=${CLIENT_ID}`,
        `AUTH_OIDC_CLIENT_SECRET=${CLIENT_SECRET}`,
        "AUTH_SECRET=an-e2e-secret-of-at-least-32-characters",
        `NETSCRIPT_SERVICE_SECRET=${SERVICE_SECRET}`,
      ],
    }, async (app) => {
      equal(app.url("auth-api"), AUTH_API, "auth-api listens on its default port");
      const api = app.url("api");
      const workers = app.url("workers-api");
      const jar = new CookieJar();
      const note = (headers: Record<string, string> = {}) =>
        browse(jar, `${api}/api/notes`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ text: "signed" }),
        });

      await t.step(
        "the app's reads stay open; its writes and workers-api need a caller",
        async () => {
          equal((await browse(jar, `${api}/api/notes`)).status, 200);
          const refused = await note();
          equal(refused.status, 401);
          equal(refused.body.code, "UNAUTHORIZED");
          const jobs = await browse(jar, `${workers}/api/jobs`);
          equal(jobs.status, 401);
          equal(jobs.body.code, "UNAUTHORIZED");
          const document = (await browse(jar, `${workers}/api/openapi.json`)).body;
          ok(document.components.securitySchemes.session, "the document names the session scheme");
          deepEqual(document.paths["/jobs"].get.security, [{ session: [] }, {
            serviceCredential: [],
          }]);
        },
      );

      await t.step(
        "a workspace process gets in with the secret netscript dev handed out",
        async () => {
          const own = await mintServiceCredential(serviceSecretKey(SERVICE_SECRET)!, "e2e");
          const accepted = await browse(jar, `${workers}/api/jobs`, {
            headers: { authorization: `Bearer ${own}` },
          });
          equal(accepted.status, 200, JSON.stringify(accepted.body));
          const other = await mintServiceCredential(serviceSecretKey("x".repeat(40))!, "e2e");
          const refused = await browse(jar, `${workers}/api/jobs`, {
            headers: { authorization: `Bearer ${other}` },
          });
          equal(refused.status, 401);
        },
      );

      await t.step("the dashboard's jobs panel reads the guarded workers-api", async () => {
        ok((await readPanel(app, "jobs")).includes("Jobs by state"));
      });

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

      await t.step("the signed-in browser writes through the guarded services", async () => {
        const created = await note();
        equal(created.status, 201, JSON.stringify(created.body));
        equal(created.body.text, "signed");
        equal((await browse(jar, `${workers}/api/jobs`)).status, 200);
      });

      await t.step("sign-out ends the session, refused by the next request anywhere", async () => {
        const cookie = jar.header(`${api}/`);
        equal((await note()).status, 201, "the session is checked once more, and kept");
        const out = await browse(jar, `${AUTH_API}/auth/signout`, { method: "POST" });
        equal(out.status, 302);
        equal(out.location, "/");
        const gone = await browse(jar, `${AUTH_API}/api/session`);
        equal(gone.status, 401);
        equal(gone.body.code, "UNAUTHORIZED");
        const stale = await browse(new CookieJar(), `${api}/api/notes`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie },
          body: JSON.stringify({ text: "after sign-out" }),
        });
        equal(stale.status, 401, "the app still took the signed-out session");
      });
    });
  } finally {
    await issuer.close();
  }
});
