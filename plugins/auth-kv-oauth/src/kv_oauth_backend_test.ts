import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthBackendPort, AuthErrorCode } from "@netscript/plugin-auth-core";
import { generateRandomCodeVerifier } from "oauth4webapi";
import { createKvOAuthBackend } from "../mod.ts";
import { signInAtProvider } from "../testdata/headless_browser.ts";
import { startOidcIssuer } from "../testdata/start_oidc_issuer.ts";
import { AppBrowser, LeakWatch } from "../testdata/test_app.ts";
import { randomToken } from "./random_token.ts";
import type { PendingSignIn, SessionRecord } from "./session_store.ts";

const CLIENT_ID = "netscript-test";
const CLIENT_SECRET = `client-secret-${randomToken()}`;
const AUTH_SECRET = `auth-secret-${randomToken()}`;
const APP = "http://127.0.0.1:4011";
const INTERNAL = "http://127.0.0.1:8094";
const PUBLIC = "https://app.example";
const HOUR = 3_600_000;

Deno.test("kv-oauth signs in against a local OpenID provider and refuses every attack", async (t) => {
  const provider = await startOidcIssuer({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${APP}/auth/callback`, `${PUBLIC}/auth/callback`],
  });
  const kv = await Deno.openKv(":memory:");
  const watch = new LeakWatch();
  watch.secrets.add(CLIENT_SECRET).add(AUTH_SECRET);
  let clock = Date.now();
  const options = {
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    secret: AUTH_SECRET,
    kv,
    logger: watch.logger,
    fetch: watch.fetch(),
    now: () => new Date(clock),
  };
  const backend = await createKvOAuthBackend(options);
  const secure = await createKvOAuthBackend({ ...options, publicUrl: PUBLIC });
  const browser = (app: AuthBackendPort = backend, origin = APP) =>
    new AppBrowser(app, origin, watch);

  /** Signs `login` in through the provider in a browser; returns the callback's response. */
  const signIn = async (user: AppBrowser, login: string, redirectTo = "/account") => {
    const started = await user.signIn(redirectTo);
    equal(started.status, 302);
    const back = await signInAtProvider(user.jar, started.headers.get("location")!, login);
    return { back, response: await user.callback(back) };
  };
  const pendingKey = (user: AppBrowser) => ["auth", "sign-in", user.cookie("netscript-signin")!];
  const tamperPending = async (user: AppBrowser, change: Partial<PendingSignIn>) => {
    const entry = await kv.get<PendingSignIn>(pendingKey(user));
    ok(entry.value !== null, "the sign-in is pending");
    watch.secrets.add(entry.value.codeVerifier);
    await kv.set(pendingKey(user), { ...entry.value, ...change }, { expireIn: 60_000 });
  };

  try {
    await t.step(
      "the whole sign-in: provider, callback, session, list, refresh, sign-out",
      async () => {
        const alice = browser();
        const started = await alice.signIn("/account?tab=keys");
        const authorize = new URL(started.headers.get("location")!);
        equal(authorize.origin, provider.issuer);
        equal(authorize.searchParams.get("code_challenge_method"), "S256");
        equal(authorize.searchParams.get("redirect_uri"), `${APP}/auth/callback`);
        equal(authorize.searchParams.get("scope"), "openid email profile");
        ok(authorize.searchParams.get("state") && authorize.searchParams.get("nonce"));

        const back = await signInAtProvider(alice.jar, authorize.href, "alice");
        equal(back.searchParams.get("iss"), provider.issuer);
        const done = await alice.callback(back);
        equal(done.status, 302);
        equal(done.headers.get("location"), "/account?tab=keys");
        equal(alice.cookie("netscript-signin"), undefined, "the sign-in cookie is cleared");

        const session = await backend.session(alice.request("/api/me"));
        ok(session !== null);
        deepEqual(session.user, {
          id: "alice",
          email: "alice@example.test",
          name: "Alice Example",
          roles: ["admin"],
        });
        equal(session.backend, "kv-oauth");
        ok(session.scopes.includes("openid"));
        equal(session.expiresAt.getTime() - session.createdAt.getTime(), 7 * 24 * HOUR);
        match(session.id, /^[A-Za-z0-9_-]{43}$/);
        notEqual(session.id, alice.cookie("netscript-session"), "the id is not the cookie");

        deepEqual((await backend.listSessions("alice")).map((listed) => listed.id), [session.id]);

        const before = await kv.get<SessionRecord>(["auth", "session", session.id]);
        clock += HOUR;
        const renewed = await backend.refresh(alice.request("/api/refresh"));
        ok(renewed !== null);
        const refreshed = renewed.session;
        equal(refreshed.id, session.id);
        equal(refreshed.expiresAt.getTime(), session.expiresAt.getTime() + HOUR);
        deepEqual(renewed.setCookies, [
          `netscript-session=${alice.cookie("netscript-session")}; Max-Age=${
            7 * 24 * 3600
          }; Path=/; HttpOnly; SameSite=Lax`,
        ], "the cookie is renewed for the session's new lifetime");
        const after = await kv.get<SessionRecord>(["auth", "session", session.id]);
        notEqual(
          after.value!.refreshToken,
          before.value!.refreshToken,
          "the rotated token is kept",
        );
        const sealed = after.value!.refreshToken!;
        ok(sealed.startsWith("v1.") && !watch.secrets.has(sealed), "stored sealed, not as issued");

        const out = await backend.signOut(alice.request("/auth/signout"));
        equal(out.status, 302);
        equal(out.headers.get("location"), "/");
        deepEqual(out.headers.getSetCookie(), [
          "netscript-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
        ]);
        equal(await backend.session(alice.request("/api/me")), null);
        deepEqual(await backend.listSessions("alice"), []);
      },
    );

    await t.step("sessions are listed newest first and end at their expiry", async () => {
      const first = browser();
      await signIn(first, "erin");
      clock += 1_000;
      const second = browser();
      await signIn(second, "erin");
      const newest = await backend.session(second.request("/"));
      const oldest = await backend.session(first.request("/"));
      deepEqual((await backend.listSessions("erin")).map((s) => s.id), [newest!.id, oldest!.id]);
      clock += 7 * 24 * HOUR;
      equal(await backend.session(second.request("/")), null);
      deepEqual(await backend.listSessions("erin"), []);
      clock -= 7 * 24 * HOUR;
    });

    await t.step("a refresh the provider refuses ends the session", async () => {
      const user = browser();
      await signIn(user, "frank");
      const session = (await backend.session(user.request("/")))!;
      const stale = await kv.get<SessionRecord>(["auth", "session", session.id]);
      ok(await backend.refresh(user.request("/")), "the first refresh rotates the token");
      // Put the used refresh token back: the provider sees a rotated token replayed.
      await kv.set(["auth", "session", session.id], stale.value, { expireIn: HOUR });
      equal(await backend.refresh(user.request("/")), null);
      equal(await backend.session(user.request("/")), null);
      deepEqual(await backend.listSessions("frank"), []);
    });

    await t.step("a state that does not match is refused, and the sign-in is spent", async () => {
      const user = browser();
      const started = await user.signIn();
      const back = await signInAtProvider(
        user.jar,
        started.headers.get("location")!,
        "mallory-state",
      );
      const forged = new URL(back);
      forged.searchParams.set("state", randomToken());
      await watch.expectError(user.callback(forged), "AUTH_CALLBACK_INVALID", "state-mismatch");
      await watch.expectError(user.callback(back), "AUTH_CALLBACK_INVALID", "no-pending-sign-in");
      deepEqual(await backend.listSessions("mallory-state"), []);
    });

    await t.step("a redirect naming another issuer (RFC 9207 mix-up) is refused", async () => {
      const user = browser();
      const started = await user.signIn();
      const back = await signInAtProvider(
        user.jar,
        started.headers.get("location")!,
        "mallory-mixup",
      );
      const mixed = new URL(back);
      mixed.searchParams.set("iss", "https://elsewhere.example");
      await watch.expectError(user.callback(mixed), "AUTH_CALLBACK_INVALID", "response-invalid");
      deepEqual(await backend.listSessions("mallory-mixup"), []);
    });

    await t.step("a wrong PKCE verifier is refused by the provider", async () => {
      const user = browser();
      const started = await user.signIn();
      await tamperPending(user, { codeVerifier: generateRandomCodeVerifier() });
      const back = await signInAtProvider(
        user.jar,
        started.headers.get("location")!,
        "mallory-pkce",
      );
      await watch.expectError(user.callback(back), "AUTH_CALLBACK_INVALID", "code-refused");
      deepEqual(await backend.listSessions("mallory-pkce"), []);
    });

    await t.step("a nonce that does not match fails the ID token", async () => {
      const user = browser();
      const started = await user.signIn();
      await tamperPending(user, { nonce: randomToken() });
      const back = await signInAtProvider(
        user.jar,
        started.headers.get("location")!,
        "mallory-nonce",
      );
      await watch.expectError(user.callback(back), "AUTH_CALLBACK_INVALID", "id-token-invalid");
      deepEqual(await backend.listSessions("mallory-nonce"), []);
    });

    await t.step("a replayed callback and a replayed code are refused", async () => {
      const victim = browser();
      const { back } = await signIn(victim, "grace");
      equal((await backend.listSessions("grace")).length, 1);
      // The same redirect again, from the same browser: its sign-in is spent.
      await watch.expectError(victim.callback(back), "AUTH_CALLBACK_INVALID", "no-pending-sign-in");
      // The used code, injected into the attacker's own fresh sign-in.
      const attacker = browser();
      const started = await attacker.signIn();
      const injected = new URL(back);
      injected.searchParams.set(
        "state",
        new URL(started.headers.get("location")!).searchParams.get("state")!,
      );
      await watch.expectError(attacker.callback(injected), "AUTH_CALLBACK_INVALID", "code-refused");
      equal(attacker.cookie("netscript-session"), undefined);
      equal((await backend.listSessions("grace")).length, 1);
    });

    await t.step("a callback without the sign-in cookie signs no one in", async () => {
      const user = browser();
      const started = await user.signIn();
      const back = await signInAtProvider(user.jar, started.headers.get("location")!, "heidi");
      const stranger = browser();
      await watch.expectError(
        stranger.callback(back),
        "AUTH_CALLBACK_INVALID",
        "no-pending-sign-in",
      );
      equal(stranger.cookie("netscript-session"), undefined);
      equal((await user.callback(back)).status, 302, "the browser that began it still can finish");
    });

    await t.step("a provider error and a late answer are refused", async () => {
      const user = browser();
      const started = await user.signIn();
      const state = new URL(started.headers.get("location")!).searchParams.get("state")!;
      const denied = new URL(`${APP}/auth/callback`);
      denied.search = new URLSearchParams({ error: "access_denied", state, iss: provider.issuer })
        .toString();
      await watch.expectError(user.callback(denied), "AUTH_CALLBACK_INVALID", "provider-error");

      const late = browser();
      const begun = await late.signIn();
      const back = await signInAtProvider(late.jar, begun.headers.get("location")!, "mallory-late");
      clock += 11 * 60_000;
      await watch.expectError(late.callback(back), "AUTH_CALLBACK_INVALID", "sign-in-expired");
      clock -= 11 * 60_000;
      deepEqual(await backend.listSessions("mallory-late"), []);
    });

    await t.step("open redirects are refused before anything is stored or redirected", async () => {
      const attacks = [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%2F/evil.example",
        "https:evil.example",
      ];
      for (const redirectTo of attacks) {
        const user = browser();
        await watch.expectError(user.signIn(redirectTo), "AUTH_REDIRECT_INVALID");
        equal(user.cookie("netscript-signin"), undefined, redirectTo);
      }
      let pending = 0;
      for await (const _ of kv.list({ prefix: ["auth", "sign-in"] })) pending++;
      const user = browser();
      await user.signIn("/ok");
      let after = 0;
      for await (const _ of kv.list({ prefix: ["auth", "sign-in"] })) after++;
      equal(after, pending + 1, "only the valid sign-in was stored");
    });

    await t.step("cookies are HttpOnly and SameSite=Lax on http", async () => {
      const user = browser();
      const started = await user.signIn();
      const [signInCookie] = started.headers.getSetCookie();
      match(
        signInCookie!,
        /^netscript-signin=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const back = await signInAtProvider(user.jar, started.headers.get("location")!, "ivan");
      const done = await user.callback(back);
      deepEqual(
        done.headers.getSetCookie().map((cookie) => cookie.replace(/^([^=]+)=[^;]+;/, "$1=…;")),
        [
          "netscript-session=…; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax",
          "netscript-signin=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
        ],
      );
    });

    await t.step(
      "behind an https proxy cookies are __Host-, Secure, HttpOnly, SameSite=Lax",
      async () => {
        const user = browser(secure, INTERNAL);
        const started = await user.signIn();
        const authorize = new URL(started.headers.get("location")!);
        equal(authorize.searchParams.get("redirect_uri"), `${PUBLIC}/auth/callback`);
        match(
          started.headers.getSetCookie()[0]!,
          /^__Host-netscript-signin=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
        );
        const back = await signInAtProvider(user.jar, authorize.href, "judy");
        equal(back.origin, PUBLIC);
        const done = await user.callback(back);
        deepEqual(
          done.headers.getSetCookie().map((cookie) => cookie.replace(/^([^=]+)=[^;]+;/, "$1=…;")),
          [
            "__Host-netscript-session=…; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Lax",
            "__Host-netscript-signin=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
          ],
        );
        ok(await secure.session(user.request("/")));
        equal(
          await backend.session(user.request("/")),
          null,
          "the plain name is not read on https",
        );
      },
    );

    await t.step("a session cookie set before sign-in is replaced, never reused", async () => {
      const attacker = browser();
      await signIn(attacker, "mallory");
      const planted = attacker.cookie("netscript-session")!;
      const victim = browser();
      victim.jar.set(APP, `netscript-session=${planted}`);
      await signIn(victim, "kate");
      const issued = victim.cookie("netscript-session")!;
      notEqual(issued, planted);
      equal((await backend.session(victim.request("/")))?.user.id, "kate");
      equal(await backend.session(attacker.request("/")), null, "the planted session ended");

      const guessed = browser();
      const chosen = randomToken();
      guessed.jar.set(APP, `netscript-session=${chosen}`);
      await signIn(guessed, "kate");
      notEqual(guessed.cookie("netscript-session"), chosen);
    });

    await t.step(
      "a user cannot revoke another user's session; a revoked one is null at once",
      async () => {
        const leo = browser();
        await signIn(leo, "leo");
        const mia = browser();
        await signIn(mia, "mia");
        const leoSession = (await backend.session(leo.request("/")))!;
        equal(await backend.revokeSession("mia", leoSession.id), false);
        ok(await backend.session(leo.request("/")), "leo's session is untouched");
        equal(await backend.revokeSession("leo", "not-a-session"), false);
        equal(await backend.revokeSession("leo", leo.cookie("netscript-session")!), false);

        equal(await backend.revokeSession("leo", leoSession.id), true);
        equal(await backend.session(leo.request("/")), null);
        equal(await backend.refresh(leo.request("/")), null);
        deepEqual(await backend.listSessions("leo"), []);
        equal(await backend.revokeSession("leo", leoSession.id), false);
        ok(await backend.session(mia.request("/")), "mia is still signed in");
      },
    );

    await t.step("a bad session cookie is no session, and never an error", async () => {
      for (
        const cookie of [
          "netscript-session=",
          "netscript-session=%E0%A4%A",
          `netscript-session=${"x".repeat(5000)}`,
          "netscript-session=../../etc",
        ]
      ) {
        const request = new Request(`${APP}/`, { headers: { cookie } });
        equal(await backend.session(request), null, cookie);
        equal(await backend.refresh(request), null, cookie);
        equal((await backend.signOut(request)).status, 302);
      }
    });

    await t.step("no secret, token or code reaches a log line or an error", () => {
      ok(watch.lines.some((line) => line.includes("sign-in refused")));
      watch.assertNoLeak();
    });
  } finally {
    await backend.close();
    await secure.close();
    kv.close();
    await provider.close();
  }
});

Deno.test("kv-oauth reports an unreachable provider as AUTH_PROVIDER_UNAVAILABLE", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const kv = await Deno.openKv(":memory:");
  const backend = await createKvOAuthBackend({
    issuer: `http://127.0.0.1:${port}`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    secret: AUTH_SECRET,
    kv,
  });
  try {
    const error = await backend.signIn(new Request(`${APP}/auth/signin`), { redirectTo: "/" })
      .then(() => null, (caught: unknown) => caught);
    ok(isNetScriptError<AuthErrorCode>(error, "AUTH_PROVIDER_UNAVAILABLE"), String(error));
    equal(error.details.step, "discovery");
    ok(!error.message.includes(CLIENT_SECRET));
    let stored = 0;
    for await (const _ of kv.list({ prefix: [] })) stored++;
    equal(stored, 0, "nothing was stored");
  } finally {
    await backend.close();
    kv.close();
  }
});
