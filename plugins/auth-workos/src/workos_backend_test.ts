import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  AuthBackendOperationUnsupportedError,
  type AuthErrorCode,
} from "@netscript/plugin-auth-core";
import { createLogger, type Logger } from "@netscript/telemetry";
import { SignJWT } from "jose";
import {
  claims,
  COOKIE_PASSWORD,
  STAND_IN_API_KEY,
  STAND_IN_CLIENT_ID,
  startWorkosStandIn,
  USER,
  type WorkosStandIn,
} from "../testdata/workos_stand_in.ts";
import type { AuthBackendPort } from "@netscript/plugin-auth-core";
import { createWorkosBackend } from "./workos_backend.ts";
import type { WorkosBackendOptions } from "./workos_backend_options.ts";

const APP = "http://app.test/dashboard";

/** A request carrying a session cookie. */
function withCookie(cookie: string, url = APP, name = "wos-session"): Request {
  return new Request(url, { headers: { cookie: `theme=dark; ${name}=${cookie}` } });
}

/** A backend against the stand-in, with its log lines captured. */
async function backendFor(
  standIn: WorkosStandIn,
  overrides: Partial<WorkosBackendOptions> = {},
): Promise<{ backend: AuthBackendPort; lines: string[] }> {
  const lines: string[] = [];
  const logger: Logger = createLogger({
    service: "test",
    level: "debug",
    sink: (line) => lines.push(line),
  });
  const backend = await createWorkosBackend({
    apiKey: STAND_IN_API_KEY,
    clientId: STAND_IN_CLIENT_ID,
    cookiePassword: COOKIE_PASSWORD,
    apiHostname: standIn.hostname,
    apiPort: standIn.port,
    https: false,
    logger,
    ...overrides,
  });
  return { backend, lines };
}

/** A cookie of a fresh, valid session, with a refresh token the stand-in honours. */
async function validCookie(standIn: WorkosStandIn, overrides = {}): Promise<string> {
  return await standIn.seal(await standIn.sign(claims(overrides)), standIn.refreshToken());
}

/** A token with the given header, unsigned or signed with an HMAC secret. */
function unsignedToken(header: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
  return `${part(header)}.${part(claims())}.`;
}

function isCode(code: AuthErrorCode): (error: unknown) => boolean {
  return (error) => isNetScriptError(error) && error.code === code;
}

Deno.test("createWorkosBackend() reads a valid AuthKit cookie into a session", async (t) => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  try {
    await t.step(
      "with the token's roles, permissions and times, and the cookie's user",
      async () => {
        const payload = claims();
        const cookie = await standIn.seal(await standIn.sign(payload), standIn.refreshToken());
        const session = await backend.session(withCookie(cookie));
        deepEqual(session, {
          id: "session_01ABC",
          user: {
            id: USER.id,
            email: "ada@example.com",
            name: "Ada Lovelace",
            roles: ["admin", "editor"],
          },
          backend: "workos",
          createdAt: new Date((payload.auth_time as number) * 1000),
          expiresAt: new Date((payload.exp as number) * 1000),
          scopes: ["posts:write", "posts:read"],
        });
      },
    );
    await t.step("with the one role of a token that lists no roles", async () => {
      const cookie = await validCookie(standIn, { roles: undefined, permissions: undefined });
      const session = await backend.session(withCookie(cookie));
      deepEqual(session?.user.roles, ["admin"]);
      deepEqual(session?.scopes, []);
    });
    await t.step("under a cookie name of its own", async () => {
      const { backend: renamed } = await backendFor(standIn, { cookieName: "app-session" });
      const cookie = await validCookie(standIn);
      equal((await renamed.session(withCookie(cookie, APP, "app-session")))?.id, "session_01ABC");
      equal(await renamed.session(withCookie(cookie)), null);
      await renamed.close();
    });
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() answers null for a cookie it must not trust", async (t) => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  const now = Math.floor(Date.now() / 1000);
  const refused: Record<string, () => Promise<Request>> = {
    "no cookie": () => Promise.resolve(new Request(APP)),
    "an empty cookie": () => Promise.resolve(withCookie("")),
    "a cookie that is no seal": () => Promise.resolve(withCookie("not-a-seal")),
    "a seal of the wrong shape": () => Promise.resolve(withCookie("Fe26.2*1*a*b*c*d*e*f~2")),
    "a seal with bad base64": () => Promise.resolve(withCookie("Fe26.2*1*s*!!*!!**s*!!~2")),
    "a seal with a bad expiry": () => Promise.resolve(withCookie("Fe26.2*1*s*iv*x*soon*s*m~2")),
    "a cookie sealed with another password": async () =>
      withCookie(
        await standIn.seal(
          await standIn.sign(claims()),
          standIn.refreshToken(),
          "another-password-of-more-than-32-characters",
        ),
      ),
    "an expired access token": async () =>
      withCookie(await validCookie(standIn, { iat: now - 900, exp: now - 600 })),
    "a token signed by a key the JWKS lacks": async () =>
      withCookie(
        await standIn.seal(
          await standIn.sign(claims(), { key: "other", kid: "key_other" }),
          standIn.refreshToken(),
        ),
      ),
    "a token signed by another key under the trusted kid": async () =>
      withCookie(
        await standIn.seal(await standIn.sign(claims(), { key: "other" }), standIn.refreshToken()),
      ),
    "an alg none token": async () =>
      withCookie(
        await standIn.seal(
          unsignedToken({ alg: "none", kid: "key_trusted" }),
          standIn.refreshToken(),
        ),
      ),
    "an HS256 token signed with some secret": async () =>
      withCookie(
        await standIn.seal(
          await new SignJWT(claims())
            .setProtectedHeader({ alg: "HS256", kid: "key_trusted" })
            .sign(new TextEncoder().encode("some-shared-secret-of-32-bytes!!")),
          standIn.refreshToken(),
        ),
      ),
    "a token without auth_time (not a user access token)": async () =>
      withCookie(await validCookie(standIn, { auth_time: undefined })),
    "a widget token (sub_type)": async () =>
      withCookie(await validCookie(standIn, { sub_type: "widget" })),
  };
  try {
    for (const [name, request] of Object.entries(refused)) {
      await t.step(name, async () => equal(await backend.session(await request()), null));
    }
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() fetches the signing keys once for many sessions", async () => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  try {
    for (let i = 0; i < 5; i++) {
      ok(await backend.session(withCookie(await validCookie(standIn))));
    }
    await backend.session(
      withCookie(
        await standIn.seal(
          await standIn.sign(claims(), { key: "other", kid: "key_other" }),
          standIn.refreshToken(),
        ),
      ),
    );
    equal(standIn.jwksRequests, 1);
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() throws AUTH_PROVIDER_UNAVAILABLE when the signing keys cannot be fetched", async (t) => {
  const standIn = await startWorkosStandIn();
  try {
    await t.step("the JWKS answers 500", async () => {
      const { backend } = await backendFor(standIn);
      standIn.jwksStatus = 500;
      await rejects(
        backend.session(withCookie(await validCookie(standIn))),
        isCode("AUTH_PROVIDER_UNAVAILABLE"),
      );
      standIn.jwksStatus = 200;
      ok(await backend.session(withCookie(await validCookie(standIn))), "it recovers");
      await backend.close();
    });
    await t.step("nothing listens at the API's address", async () => {
      const closed = await startWorkosStandIn();
      const { hostname, port } = closed;
      await closed.close();
      const { backend } = await backendFor(standIn, { apiHostname: hostname, apiPort: port });
      await rejects(
        backend.session(withCookie(await validCookie(standIn))),
        isCode("AUTH_PROVIDER_UNAVAILABLE"),
      );
      await backend.close();
    });
  } finally {
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() refreshes a session with WorkOS", async (t) => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  try {
    await t.step("an expired session comes back with a later expiry and a new cookie", async () => {
      const now = Math.floor(Date.now() / 1000);
      const request = withCookie(await validCookie(standIn, { iat: now - 900, exp: now - 600 }));
      equal(await backend.session(request), null);
      const refreshed = await backend.refresh(request);
      ok(refreshed);
      equal(refreshed.session.id, "session_01ABC");
      equal(refreshed.session.user.name, "Ada Lovelace");
      ok(refreshed.session.expiresAt.getTime() > Date.now());
      match(
        refreshed.setCookies[0]!,
        /^wos-session=Fe26\.2\*[^;]+; Max-Age=34560000; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const cookie = refreshed.setCookies[0]!.slice(
        "wos-session=".length,
        refreshed.setCookies[0]!.indexOf(";"),
      );
      deepEqual(await backend.session(withCookie(cookie)), refreshed.session);
    });
    await t.step("refresh() answers the session with exactly one new cookie", async () => {
      const refreshed = await backend.refresh(withCookie(await validCookie(standIn)));
      equal(refreshed?.session.id, "session_01ABC");
      equal(refreshed?.setCookies.length, 1);
    });
    await t.step("the new cookie is Secure on https and keeps the configured domain", async () => {
      const { backend: scoped } = await backendFor(standIn, {
        cookieDomain: "app.test",
        cookieMaxAgeSeconds: 3600,
      });
      const refreshed = await scoped.refresh(
        withCookie(await validCookie(standIn), "https://app.test/"),
      );
      match(
        refreshed?.setCookies[0] ?? "",
        /; Max-Age=3600; Domain=app\.test; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
      await scoped.close();
    });
    await t.step("a used refresh token is refused: null", async () => {
      const request = withCookie(await validCookie(standIn));
      ok(await backend.refresh(request));
      equal(await backend.refresh(request), null);
    });
    await t.step("no cookie, or a cookie without a refresh token: null, no request", async () => {
      const before = standIn.refreshRequests;
      equal(await backend.refresh(new Request(APP)), null);
      equal(await backend.refresh(withCookie("not-a-seal")), null);
      equal(
        await backend.refresh(withCookie(await standIn.seal(await standIn.sign(claims()), ""))),
        null,
      );
      equal(standIn.refreshRequests, before);
    });
    await t.step("an API key WorkOS refuses: AUTH_PROVIDER_UNAVAILABLE", async () => {
      const { backend: misconfigured } = await backendFor(standIn, { apiKey: "sk_test_wrong_key" });
      await rejects(
        misconfigured.refresh(withCookie(await validCookie(standIn))),
        isCode("AUTH_PROVIDER_UNAVAILABLE"),
      );
      await misconfigured.close();
    });
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() sends one refresh to WorkOS for concurrent refreshes of a cookie", async (t) => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  try {
    await t.step("ten calls at once", async () => {
      const request = withCookie(await validCookie(standIn));
      const results = await Promise.all(
        Array.from({ length: 10 }, () => backend.refresh(request)),
      );
      equal(standIn.refreshRequests, 1);
      ok(results[0]);
      for (const result of results) deepEqual(result, results[0]);
    });
    await t.step("calls that arrive while the refresh is at WorkOS", async () => {
      const before = standIn.refreshRequests;
      const cookie = await validCookie(standIn);
      standIn.holdRefreshes = true;
      const arrived = standIn.nextRefresh();
      const first = backend.refresh(withCookie(cookie));
      await arrived;
      const later = Array.from({ length: 9 }, () => backend.refresh(withCookie(cookie)));
      standIn.holdRefreshes = false;
      standIn.release();
      const sessions = await Promise.all([first, ...later]);
      equal(standIn.refreshRequests, before + 1);
      ok(sessions[0]);
      for (const session of sessions) deepEqual(session, sessions[0]);
    });
    await t.step("different cookies refresh separately", async () => {
      const before = standIn.refreshRequests;
      const [a, b] = await Promise.all([
        backend.refresh(withCookie(await validCookie(standIn))),
        backend.refresh(withCookie(await validCookie(standIn))),
      ]);
      ok(a && b);
      equal(standIn.refreshRequests, before + 2);
    });
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() cannot sign in or manage sessions", async () => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  try {
    deepEqual([...backend.capabilities], ["refresh"]);
    const cases: [string, () => Promise<unknown>, string][] = [
      [
        "signIn",
        () => backend.signIn(new Request(APP), { redirectTo: "/" }),
        "interactive-sign-in",
      ],
      ["callback", () => backend.callback(new Request(APP)), "interactive-sign-in"],
      ["listSessions", () => backend.listSessions(USER.id), "manage-sessions"],
      ["revokeSession", () => backend.revokeSession(USER.id, "session_01ABC"), "manage-sessions"],
    ];
    for (const [operation, call, capability] of cases) {
      await rejects(call(), (error) => {
        ok(error instanceof AuthBackendOperationUnsupportedError);
        equal(error.code, "AUTH_OPERATION_UNSUPPORTED");
        deepEqual(error.details, { backend: "workos", operation, capability });
        return true;
      });
    }
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() signs out by clearing the cookie and redirecting to /", async () => {
  const standIn = await startWorkosStandIn();
  const { backend } = await backendFor(standIn);
  try {
    const response = await backend.signOut(
      withCookie(await validCookie(standIn), "https://app.test/"),
    );
    equal(response.status, 302);
    equal(response.headers.get("location"), "/");
    equal(
      response.headers.get("set-cookie"),
      "wos-session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("createWorkosBackend() refuses options it cannot work with, quoting no secret", async () => {
  const base = {
    apiKey: STAND_IN_API_KEY,
    clientId: STAND_IN_CLIENT_ID,
    cookiePassword: COOKIE_PASSWORD,
  };
  const short = "too-short-password";
  await rejects(createWorkosBackend({ ...base, apiKey: "" }), TypeError);
  await rejects(createWorkosBackend({ ...base, clientId: "" }), TypeError);
  await rejects(createWorkosBackend({ ...base, cookieName: "" }), TypeError);
  await rejects(createWorkosBackend({ ...base, cookiePassword: short }), (error) => {
    ok(error instanceof RangeError);
    ok(!error.message.includes(short));
    return true;
  });
  await rejects(createWorkosBackend({ ...base, apiPort: 70000 }), RangeError);
  await rejects(createWorkosBackend({ ...base, cookieMaxAgeSeconds: 1.5 }), RangeError);
});

Deno.test("createWorkosBackend() writes no token, cookie or secret to its logs or errors", async () => {
  const standIn = await startWorkosStandIn();
  const { backend, lines } = await backendFor(standIn);
  const secrets: string[] = [STAND_IN_API_KEY, COOKIE_PASSWORD];
  const keep = (cookie: string): Request => {
    secrets.push(cookie);
    return withCookie(cookie);
  };
  const signed = await standIn.sign(claims());
  const refreshToken = standIn.refreshToken();
  secrets.push(signed, refreshToken);
  const errors: unknown[] = [];
  try {
    const valid = keep(await standIn.seal(signed, refreshToken));
    await backend.session(valid);
    await backend.session(keep("Fe26.2*1*s*!!*!!**s*!!~2"));
    await backend.session(
      keep(
        await standIn.seal(signed, refreshToken, "another-password-of-more-than-32-characters"),
      ),
    );
    await backend.session(
      keep(await standIn.seal(await standIn.sign(claims(), { key: "other" }), "r")),
    );
    const refreshed = await backend.refresh(valid);
    ok(refreshed);
    secrets.push(
      refreshed.setCookies[0]!.slice("wos-session=".length, refreshed.setCookies[0]!.indexOf(";")),
    );
    equal(await backend.refresh(valid), null);
    standIn.jwksStatus = 500;
    const { backend: cold } = await backendFor(standIn);
    await cold.session(valid).catch((error) => errors.push(error));
    await cold.close();
    const { backend: misconfigured } = await backendFor(standIn, { apiKey: "sk_test_wrong_key" });
    secrets.push("sk_test_wrong_key");
    await misconfigured.refresh(keep(await validCookie(standIn))).catch((error) =>
      errors.push(error)
    );
    await misconfigured.close();
    equal(errors.length, 2);
    const logger = createLogger({ service: "test", sink: (line) => lines.push(line) });
    for (const error of errors) logger.error("auth failed", { error });
    ok(lines.length > errors.length, "the refusals were logged");
    const written = [...lines, ...errors.map((error) => String((error as Error).message))].join(
      "\n",
    );
    for (const secret of secrets) ok(!written.includes(secret), "a secret reached a log line");
  } finally {
    await backend.close();
    await standIn.close();
  }
});
