/**
 * `auth-api` end to end over the kv-oauth backend and a real OpenID Connect
 * issuer (`oidc-provider`, started from the kv-oauth package's test data):
 * the redirect flow through the service's routes, the caller's sessions,
 * and every refusal with its status and code.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createBetterAuthBackend } from "@netscript/auth-better-auth";
import { createKvOAuthBackend } from "@netscript/auth-kv-oauth";
import type { AuthBackendPort } from "@netscript/plugin-auth-core";
import { createLogger } from "@netscript/telemetry";
import { CookieJar, signInAtProvider } from "../../../auth-kv-oauth/testdata/headless_browser.ts";
import { startOidcIssuer } from "../../../auth-kv-oauth/testdata/start_oidc_issuer.ts";
import { createAuthService } from "./auth_service.ts";

const ORIGIN = "http://127.0.0.1:8094";
const CLIENT = { clientId: "netscript-auth-api", clientSecret: "auth-api-test-secret" };
const SECRET = "a-test-secret-of-at-least-32-characters";

/** Every log line of the service and the backend, to search for leaked secrets. */
const lines: string[] = [];
const logger = createLogger({ service: "auth-api", level: "debug", sink: (l) => lines.push(l) });

// deno-lint-ignore no-explicit-any
type Body = any;

/** A browser of `auth-api`: its requests go to the service's fetch handler, with its cookies. */
class Browser {
  readonly jar = new CookieJar();
  constructor(readonly fetch: (request: Request) => Promise<Response>) {}

  async call(method: string, path: string, headers: Record<string, string> = {}) {
    const url = new URL(path, ORIGIN);
    const cookie = this.jar.header(url);
    const response = await this.fetch(
      new Request(url, { method, headers: { ...headers, ...(cookie === "" ? {} : { cookie }) } }),
    );
    this.jar.store(url, response);
    const text = await response.text();
    return { status: response.status, response, body: text === "" ? null : JSON.parse(text) };
  }

  /** Signs in as `login` through the issuer; returns the redirect back into the app. */
  async signIn(login: string, redirectTo = "/account"): Promise<Response> {
    const started = await this.call(
      "GET",
      `/auth/signin?redirectTo=${encodeURIComponent(redirectTo)}`,
    );
    equal(started.status, 302);
    const back = await signInAtProvider(this.jar, started.response.headers.get("location")!, login);
    const done = await this.call("GET", back.pathname + back.search);
    return done.response;
  }
}

Deno.test("auth-api signs users in through a real OIDC issuer and manages only their own sessions", async (t) => {
  const issuer = await startOidcIssuer({
    ...CLIENT,
    redirectUris: [`${ORIGIN}/auth/callback`],
  });
  const kv = await Deno.openKv(":memory:");
  const backend = await createKvOAuthBackend({
    issuer: issuer.issuer,
    ...CLIENT,
    secret: SECRET,
    kv,
    logger,
  });
  const service = createAuthService({ backend, logger });
  const fetch = (request: Request) => service.fetch(request);
  try {
    const alice = new Browser(fetch);
    const aliceAgain = new Browser(fetch);
    const bob = new Browser(fetch);

    await t.step("a sign-in ends on the page it was to return to, with a session", async () => {
      const back = await alice.signIn("alice", "/orders?page=2");
      equal(back.status, 302);
      equal(back.headers.get("location"), "/orders?page=2");
      const session = await alice.call("GET", "/api/session");
      equal(session.status, 200, JSON.stringify(session.body));
      equal(session.body.user.id, "alice");
      equal(session.body.user.email, "alice@example.test");
      equal(session.body.backend, "kv-oauth");
      equal(session.body.current, true);
    });

    await t.step("the caller lists and ends their own sessions, never another user's", async () => {
      await aliceAgain.signIn("alice");
      await bob.signIn("bob");
      const listed = await alice.call("GET", "/api/sessions");
      equal(listed.status, 200);
      equal(listed.body.items.length, 2);
      deepEqual(listed.body.items.map((s: Body) => s.user.id), ["alice", "alice"]);
      const other = listed.body.items.find((s: Body) => !s.current);
      const bobs = (await bob.call("GET", "/api/session")).body.id;

      const refused = await alice.call("DELETE", `/api/sessions/${bobs}`);
      equal(refused.status, 404);
      equal(refused.body.code, "NOT_FOUND");
      equal((await bob.call("GET", "/api/session")).status, 200, "bob's session is untouched");

      const ended = await alice.call("DELETE", `/api/sessions/${other.id}`);
      equal(ended.status, 200);
      deepEqual(ended.body, { id: other.id, revoked: true });
      equal((await aliceAgain.call("GET", "/api/session")).status, 401, "ended at once");
      equal((await alice.call("GET", "/api/session")).status, 200);
    });

    await t.step("a refresh renews the session and its cookie", async () => {
      const refreshed = await alice.call("POST", "/auth/refresh");
      equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      equal(refreshed.body.user.id, "alice");
      match(
        refreshed.response.headers.get("set-cookie") ?? "",
        /^netscript-session=.+; Max-Age=604800;/,
      );
      equal((await new Browser(fetch).call("POST", "/auth/refresh")).status, 401);
    });

    await t.step("sign-out ends the session and clears the cookie", async () => {
      const out = await bob.call("POST", "/auth/signout");
      equal(out.status, 302);
      equal(out.response.headers.get("location"), "/");
      const missing = await bob.call("GET", "/api/session");
      equal(missing.status, 401);
      equal(missing.body.code, "UNAUTHORIZED");
    });

    await t.step("each refusal is a 4xx with a stable code, and starts nothing", async () => {
      const stranger = new Browser(fetch);
      for (
        const redirectTo of [
          "https://evil.example",
          "//evil.example",
          "/\\evil.example",
          "/%2F%2Fevil",
        ]
      ) {
        const refused = await stranger.call(
          "GET",
          `/auth/signin?redirectTo=${encodeURIComponent(redirectTo)}`,
        );
        equal(refused.status, 400, redirectTo);
        equal(refused.body.code, "AUTH_REDIRECT_INVALID");
        equal(refused.response.headers.get("location"), null);
      }
      const noSignIn = await stranger.call("GET", "/auth/callback?code=abc&state=xyz");
      equal(noSignIn.status, 400);
      equal(noSignIn.body.code, "AUTH_CALLBACK_INVALID");
      equal((await stranger.call("GET", "/auth/signout")).status, 405);
      equal((await stranger.call("GET", "/auth/elsewhere")).status, 404);
      const crossSite = await alice.call("POST", "/auth/signout", {
        "sec-fetch-site": "cross-site",
      });
      equal(crossSite.status, 403, "a page on another site cannot sign the user out");
      equal((await alice.call("GET", "/api/session")).status, 200);
      equal((await stranger.call("GET", "/api/sessions")).status, 401);
      equal((await stranger.call("DELETE", "/api/sessions/whatever")).status, 401);
    });

    await t.step("no cookie value, code or secret reaches a log line", () => {
      const text = lines.join("\n");
      ok(!text.includes(SECRET));
      ok(!text.includes(CLIENT.clientSecret));
      for (const browser of [alice, aliceAgain, bob]) {
        const cookie = browser.jar.get(ORIGIN, "netscript-session");
        if (cookie !== undefined) ok(!text.includes(cookie), "a session cookie was logged");
      }
    });
  } finally {
    await backend.close();
    kv.close();
    await issuer.close();
  }
});

Deno.test("auth-api over a backend without a sign-in answers its sign-in routes 404 with the code", async () => {
  const backend: AuthBackendPort = await createBetterAuthBackend({
    secret: SECRET,
    database: { kind: "sqlite", path: "/nonexistent/better-auth.db" },
    logger,
  });
  const service = createAuthService({ backend, logger });
  try {
    for (
      const [method, path] of [
        ["GET", "/auth/signin"],
        ["GET", "/auth/callback"],
        ["POST", "/auth/refresh"],
      ] as const
    ) {
      const answer = await service.fetch(new Request(`${ORIGIN}${path}`, { method }));
      equal(answer.status, 404, path);
      equal((await answer.json()).code, "AUTH_OPERATION_UNSUPPORTED", path);
    }
    const revoke = await service.fetch(
      new Request(`${ORIGIN}/api/sessions/x`, { method: "DELETE" }),
    );
    equal(revoke.status, 401, "no session: refused before anything else");
    await revoke.body?.cancel();
  } finally {
    await backend.close();
  }
});
