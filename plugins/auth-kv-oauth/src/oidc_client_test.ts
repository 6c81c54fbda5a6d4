import { deepEqual, equal, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "@netscript/plugin-auth-core";
import { createKvOAuthBackend } from "../mod.ts";
import { startHostileIssuer } from "../testdata/hostile_issuer.ts";
import { AppBrowser, LeakWatch } from "../testdata/test_app.ts";
import { randomToken } from "./random_token.ts";

const CLIENT_ID = "netscript-test";
const CLIENT_SECRET = `client-secret-${randomToken()}`;
const APP = "http://127.0.0.1:4011";

Deno.test("the ID token must be signed by the issuer's key, for this client, unexpired", async (t) => {
  const hostile = await startHostileIssuer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const kv = await Deno.openKv(":memory:");
  const watch = new LeakWatch();
  watch.secrets.add(CLIENT_SECRET);
  const backend = await createKvOAuthBackend({
    issuer: hostile.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    secret: randomToken(),
    kv,
    logger: watch.logger,
    fetch: watch.fetch(),
  });

  /** Runs a sign-in against the hostile provider; returns the callback's promise and the browser. */
  const attempt = async () => {
    const user = new AppBrowser(backend, APP, watch);
    const started = await user.signIn();
    const answer = await fetch(started.headers.get("location")!, { redirect: "manual" });
    await answer.body?.cancel();
    return { user, done: user.callback(new URL(answer.headers.get("location")!)) };
  };

  try {
    await t.step("control: a well-formed, properly signed token signs in", async () => {
      hostile.mode = "valid";
      const { user, done } = await attempt();
      equal((await done).status, 302);
      equal((await backend.session(user.request("/")))?.user.id, "mallory");
    });

    for (
      const mode of [
        "alg-none",
        "hs256-client-secret",
        "foreign-key",
        "expired",
        "wrong-audience",
        "wrong-issuer",
      ] as const
    ) {
      await t.step(`an ID token that is ${mode} is refused`, async () => {
        hostile.mode = mode;
        const before = (await backend.listSessions("mallory")).length;
        const { user, done } = await attempt();
        await watch.expectError(done, "AUTH_CALLBACK_INVALID", "id-token-invalid");
        equal(user.cookie("netscript-session"), undefined);
        equal((await backend.listSessions("mallory")).length, before, "no session was made");
      });
    }

    await t.step("a token endpoint that fails is AUTH_PROVIDER_UNAVAILABLE", async () => {
      hostile.mode = "token-endpoint-down";
      const { done } = await attempt();
      const error = await done.then(() => null, (caught: unknown) => caught);
      ok(isNetScriptError<AuthErrorCode>(error, "AUTH_PROVIDER_UNAVAILABLE"), String(error));
      equal(error.details.step, "code grant");
      watch.errors.push(error);
    });

    await t.step("no token, code or secret reaches a log line or an error", () => {
      equal(hostile.issued.length, 7);
      equal(
        hostile.discoveries,
        1,
        `discovery is read once per backend, not ${hostile.discoveries}`,
      );
      for (const token of hostile.issued) watch.secrets.add(token);
      watch.assertNoLeak();
      ok(watch.errors.every((error) => JSON.stringify(error).length < 2000));
      deepEqual(
        watch.lines.filter((line) => line.includes("sign-in refused")).length,
        6,
      );
    });
  } finally {
    await backend.close();
    kv.close();
    await hostile.close();
  }
});
