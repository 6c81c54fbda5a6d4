import { deepEqual, equal, notEqual, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { AuthBackendOperationUnsupportedError } from "@netscript/plugin-auth-core";
import type { AuthBackendPort } from "@netscript/plugin-auth-core";
import { capturedLogger } from "../../../tests/support/captured_logger.ts";
import { freshPostgresDatabase, postgres } from "../../../tests/support/databases.ts";
import {
  type BetterAuthApp,
  type SignedIn,
  startBetterAuthApp,
} from "../testdata/better_auth_app.ts";
import { randomSecret, signedCookieValue } from "../testdata/signed_cookie.ts";
import { type BetterAuthDatabase, createBetterAuthBackend } from "../mod.ts";

const SERVICE = "http://127.0.0.1:8000/api/me";

/** A better-auth app on a fresh database, and the backend reading the same database. */
interface Fixture {
  readonly app: BetterAuthApp;
  readonly backend: AuthBackendPort;
  readonly database: BetterAuthDatabase;
  readonly secret: string;
  /** Everything the backend logged, as JSON text. */
  logs(): string;
  close(): Promise<void>;
}

async function _freshDatabase(
  kind: BetterAuthDatabase["kind"],
): Promise<{ database: BetterAuthDatabase; drop(): Promise<void> }> {
  if (kind === "postgres") {
    const { url, drop } = await freshPostgresDatabase();
    return { database: { kind, url }, drop };
  }
  const dir = await Deno.makeTempDir({ prefix: "netscript-better-auth-" });
  return {
    database: { kind, path: join(dir, "app.db") },
    drop: () => Deno.remove(dir, { recursive: true }),
  };
}

async function _fixture(
  kind: BetterAuthDatabase["kind"],
  options: { admin?: boolean; baseURL?: string; cookiePrefix?: string } = {},
): Promise<Fixture> {
  const { database, drop } = await _freshDatabase(kind);
  const secret = randomSecret();
  const app = await startBetterAuthApp({ database, secret, ...options });
  const { logger, records } = capturedLogger("auth-better-auth");
  const backend = await createBetterAuthBackend({
    secret,
    database,
    logger,
    cookiePrefix: options.cookiePrefix,
  });
  return {
    app,
    backend,
    database,
    secret,
    logs: () => JSON.stringify(records),
    close: async () => {
      await backend.close();
      await app.close();
      await drop();
    },
  };
}

function _request(cookie?: string, url = SERVICE): Request {
  return new Request(url, cookie === undefined ? {} : { headers: { cookie } });
}

/** The cookie with one character of its signature changed (still 44 base64 characters). */
function _tampered(signedIn: SignedIn): string {
  const [token, signature] = decodeURIComponent(signedIn.value).split(".") as [string, string];
  const changed = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  return `${signedIn.cookie.split("=")[0]}=${encodeURIComponent(`${token}.${changed}`)}`;
}

for (const kind of ["sqlite", "postgres"] as const) {
  Deno.test({
    name:
      `createBetterAuthBackend() accepts exactly the live sessions of a better-auth app on ${kind}`,
    ignore: kind === "postgres" && postgres.ignore,
    fn: async (t) => {
      const fixture = await _fixture(kind);
      const { app, backend } = fixture;
      const signedIn: SignedIn[] = [];
      const remember = (session: SignedIn) => (signedIn.push(session), session);
      try {
        await t.step("returns the session and user better-auth itself sees", async () => {
          const ann = remember(await app.signUp("ann@example.test", "Ann"));
          const session = await backend.session(_request(ann.cookie));
          const theirs = (await app.getSession(ann.cookie))!;
          ok(session !== null);
          equal(session.id, theirs.session.id);
          deepEqual(session.user, {
            id: theirs.user.id,
            email: "ann@example.test",
            name: "Ann",
            roles: [],
          });
          equal(session.backend, "better-auth");
          deepEqual(session.scopes, []);
          ok(session.expiresAt.getTime() - session.createdAt.getTime() > 6 * 24 * 3_600_000);
          ok(session.expiresAt.getTime() > Date.now());
        });

        await t.step("refuses a missing, tampered, unsigned or foreign cookie", async () => {
          const ben = remember(await app.signUp("ben@example.test", "Ben"));
          equal(await backend.session(_request()), null);
          equal(await backend.session(_request(_tampered(ben))), null);
          equal(await backend.session(_request(`better-auth.session_token=${ben.token}`)), null);
          const foreign = await signedCookieValue(ben.token, randomSecret());
          equal(await backend.session(_request(`better-auth.session_token=${foreign}`)), null);
          const other = await createBetterAuthBackend({
            secret: randomSecret(),
            database: fixture.database,
          });
          try {
            equal(await other.session(_request(ben.cookie)), null);
          } finally {
            await other.close();
          }
          ok(await backend.session(_request(ben.cookie)));
        });

        await t.step("refuses a validly signed token the app never issued", async () => {
          const made = await signedCookieValue("NotATokenBetterAuthEverIssued000", fixture.secret);
          equal(await backend.session(_request(`better-auth.session_token=${made}`)), null);
        });

        await t.step("refuses an expired session", async () => {
          const cy = remember(await app.signUp("cy@example.test", "Cy"));
          ok(await backend.session(_request(cy.cookie)));
          await app.expire(cy.sessionId);
          equal(await backend.session(_request(cy.cookie)), null);
        });

        await t.step("refuses a session revoked through better-auth at once", async () => {
          const di = remember(await app.signUp("di@example.test", "Di"));
          const second = remember(await app.signIn("di@example.test"));
          await app.revokeSession(di.cookie, second.token);
          equal(await backend.session(_request(second.cookie)), null);
          ok(await backend.session(_request(di.cookie)));
        });

        await t.step("revokeSession() ends a session for itself and the app at once", async () => {
          const ed = remember(await app.signUp("ed@example.test", "Ed"));
          equal(await backend.revokeSession(ed.userId, ed.sessionId), true);
          equal(await backend.session(_request(ed.cookie)), null);
          equal(await app.getSession(ed.cookie), null);
          equal(await backend.revokeSession(ed.userId, ed.sessionId), false);
        });

        await t.step("revokeSession() leaves another user's session", async () => {
          const fay = remember(await app.signUp("fay@example.test", "Fay"));
          const gus = remember(await app.signUp("gus@example.test", "Gus"));
          equal(await backend.revokeSession(gus.userId, fay.sessionId), false);
          equal((await backend.session(_request(fay.cookie)))?.id, fay.sessionId);
        });

        await t.step("listSessions() lists a user's live sessions, newest first", async () => {
          const hal = remember(await app.signUp("hal@example.test", "Hal"));
          await new Promise((resolve) => setTimeout(resolve, 5));
          const again = remember(await app.signIn("hal@example.test"));
          const sessions = await backend.listSessions(hal.userId);
          deepEqual(sessions.map((session) => session.id), [again.sessionId, hal.sessionId]);
          ok(sessions.every((session) => session.user.id === hal.userId));
          await app.expire(hal.sessionId);
          deepEqual((await backend.listSessions(hal.userId)).map((session) => session.id), [
            again.sessionId,
          ]);
          deepEqual(await backend.listSessions("no-such-user"), []);
        });

        await t.step("signOut() ends only the caller's session and clears its cookie", async () => {
          const ida = remember(await app.signUp("ida@example.test", "Ida"));
          const other = remember(await app.signIn("ida@example.test"));
          const response = await backend.signOut(_request(ida.cookie));
          equal(response.status, 302);
          equal(response.headers.get("location"), "/");
          deepEqual(response.headers.getSetCookie(), [
            "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
          ]);
          equal(await backend.session(_request(ida.cookie)), null);
          equal(await app.getSession(ida.cookie), null);
          ok(await backend.session(_request(other.cookie)));
          equal((await backend.signOut(_request())).status, 302);
          equal((await backend.signOut(_request(_tampered(other)))).status, 302);
          ok(await backend.session(_request(other.cookie)));
        });

        await t.step("leaves sign-in, its callback and refresh to the app", async () => {
          deepEqual([...backend.capabilities], ["manage-sessions"]);
          const request = _request(signedIn[0]!.cookie);
          await rejects(
            backend.signIn(request, { redirectTo: "/" }),
            AuthBackendOperationUnsupportedError,
          );
          await rejects(backend.callback(request), AuthBackendOperationUnsupportedError);
          await rejects(backend.refresh(request), AuthBackendOperationUnsupportedError);
        });

        await t.step("logs no secret, token or cookie", () => {
          const logs = fixture.logs();
          ok(logs.includes("better-auth session cookie refused"));
          ok(!logs.includes(fixture.secret));
          for (const session of signedIn) {
            ok(!logs.includes(session.token));
            ok(!logs.includes(session.value));
          }
        });
      } finally {
        await fixture.close();
      }
    },
  });

  Deno.test({
    name: `createBetterAuthBackend() on ${kind} reads a user's roles from the role column`,
    ignore: kind === "postgres" && postgres.ignore,
    fn: async () => {
      const fixture = await _fixture(kind, { admin: true });
      try {
        const jo = await fixture.app.signUp("jo@example.test", "Jo");
        deepEqual((await fixture.backend.session(_request(jo.cookie)))?.user.roles, ["user"]);
        await fixture.app.setRole(jo.userId, "admin, editor");
        deepEqual((await fixture.backend.session(_request(jo.cookie)))?.user.roles, [
          "admin",
          "editor",
        ]);
        deepEqual((await fixture.backend.listSessions(jo.userId))[0]?.user.roles, [
          "admin",
          "editor",
        ]);
      } finally {
        await fixture.close();
      }
    },
  });
}

Deno.test("createBetterAuthBackend() reads the __Secure- cookie of an https app and its own prefix", async () => {
  const fixture = await _fixture("sqlite", {
    baseURL: "https://app.example.test",
    cookiePrefix: "acme",
  });
  try {
    const kim = await fixture.app.signUp("kim@example.test", "Kim");
    ok(kim.cookie.startsWith("__Secure-acme.session_token="));
    const https = "https://api.example.test/me";
    equal((await fixture.backend.session(_request(kim.cookie, https)))?.id, kim.sessionId);
    equal(
      await fixture.backend.session(_request(kim.cookie.replace("__Secure-", ""), https)),
      null,
    );
    const response = await fixture.backend.signOut(_request(kim.cookie, https));
    deepEqual(response.headers.getSetCookie(), [
      "__Secure-acme.session_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
    ]);
    equal(await fixture.app.getSession(kim.cookie), null);
  } finally {
    await fixture.close();
  }
});

Deno.test("createBetterAuthBackend() reports a better-auth database it cannot use", async (t) => {
  const secret = randomSecret();
  const cookie = `better-auth.session_token=${await signedCookieValue("a".repeat(32), secret)}`;
  const dir = await Deno.makeTempDir({ prefix: "netscript-better-auth-" });
  const failure = async (database: BetterAuthDatabase): Promise<NetScriptError> => {
    const backend = await createBetterAuthBackend({ secret, database });
    try {
      const error = await backend.session(_request(cookie)).then(
        () => undefined,
        (error: unknown) => error,
      );
      ok(error instanceof NetScriptError, String(error));
      ok(!error.message.includes(secret) && !error.message.includes("a".repeat(32)));
      return error;
    } finally {
      await backend.close();
    }
  };
  try {
    await t.step("an SQLite path naming no file, which it does not create", async () => {
      const path = join(dir, "missing.db");
      const error = await failure({ kind: "sqlite", path });
      equal(error.code, "STORE_UNAVAILABLE");
      ok(error.message.includes(path));
      await rejects(Deno.stat(path), Deno.errors.NotFound);
    });

    await t.step("a file that is not an SQLite database", async () => {
      const path = join(dir, "notes.db");
      await Deno.writeTextFile(path, "not a database ".repeat(100));
      equal((await failure({ kind: "sqlite", path })).code, "STORE_UNAVAILABLE");
    });

    await t.step("an SQLite database without the better-auth tables", async () => {
      const path = join(dir, "empty.db");
      const { DatabaseSync } = await import("node:sqlite");
      new DatabaseSync(path).close();
      const error = await failure({ kind: "sqlite", path });
      equal(error.code, "SCHEMA_MISSING");
      ok(error.message.includes("better-auth"));
    });

    await t.step("a PostgreSQL server that is not there, without its password", async () => {
      const error = await failure({
        kind: "postgres",
        url: "postgres://app:hunter2-secret@127.0.0.1:1/app",
      });
      equal(error.code, "STORE_UNAVAILABLE");
      ok(!error.message.includes("hunter2-secret"), error.message);
      ok(!JSON.stringify(error.toJSON()).includes("hunter2-secret"));
    });

    await t.step({
      name: "a PostgreSQL database without the better-auth tables",
      ignore: postgres.ignore,
      fn: async () => {
        const { url, drop } = await freshPostgresDatabase();
        try {
          equal((await failure({ kind: "postgres", url })).code, "SCHEMA_MISSING");
        } finally {
          await drop();
        }
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createBetterAuthBackend() rejects options it cannot use", async () => {
  const database: BetterAuthDatabase = { kind: "sqlite", path: "app.db" };
  const short = "s".repeat(31);
  await rejects(createBetterAuthBackend({ secret: short, database }), (error: Error) => {
    ok(error instanceof RangeError);
    ok(!error.message.includes(short));
    return true;
  });
  await rejects(
    createBetterAuthBackend({ secret: randomSecret(), database, cookiePrefix: "a b" }),
    TypeError,
  );
  await rejects(
    createBetterAuthBackend({ secret: randomSecret(), database: { kind: "sqlite", path: "" } }),
    TypeError,
  );
  await rejects(
    createBetterAuthBackend({
      secret: randomSecret(),
      database: { kind: "mysql", url: "mysql://x" } as unknown as BetterAuthDatabase,
    }),
    TypeError,
  );
  const backend = await createBetterAuthBackend({ secret: randomSecret(), database });
  notEqual(backend.name, "");
  await backend.close();
});
