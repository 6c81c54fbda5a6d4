import { equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/store";
import {
  claims,
  COOKIE_PASSWORD,
  STAND_IN_API_KEY,
  STAND_IN_CLIENT_ID,
  startWorkosStandIn,
} from "../testdata/workos_stand_in.ts";
import { openWorkosBackend } from "./open_workos_backend.ts";

const REQUIRED = {
  WORKOS_API_KEY: STAND_IN_API_KEY,
  WORKOS_CLIENT_ID: STAND_IN_CLIENT_ID,
  WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
};

/** Checks an error's code and that its message names the variable and quotes no secret. */
function refusal(code: string, variable: string): (error: unknown) => boolean {
  return (error) => {
    ok(isNetScriptError(error), String(error));
    equal(error.code, code);
    ok(error.message.includes(variable), error.message);
    for (const secret of [STAND_IN_API_KEY, COOKIE_PASSWORD, "short-password"]) {
      ok(!error.message.includes(secret) && !JSON.stringify(error).includes(secret));
    }
    return true;
  };
}

Deno.test("openWorkosBackend() reads AuthKit's variables and validates cookies with them", async () => {
  const standIn = await startWorkosStandIn();
  const backend = await openWorkosBackend(
    envFrom({ ...REQUIRED, WORKOS_API_HOSTNAME: `${standIn.hostname}:${standIn.port}` }),
  );
  try {
    equal(backend.name, "workos");
    const cookie = await standIn.seal(await standIn.sign(claims()), standIn.refreshToken());
    const request = new Request("http://app.test/", {
      headers: { cookie: `wos-session=${cookie}` },
    });
    equal((await backend.session(request))?.id, "session_01ABC");
    equal((await backend.refresh(request))?.session.id, "session_01ABC");
    equal(standIn.refreshRequests, 1);
  } finally {
    await backend.close();
    await standIn.close();
  }
});

Deno.test("openWorkosBackend() reaches a loopback host over http unless WORKOS_API_HTTPS says so", async () => {
  const standIn = await startWorkosStandIn();
  const env = (extra: Record<string, string>) =>
    envFrom({ ...REQUIRED, WORKOS_API_HOSTNAME: `localhost:${standIn.port}`, ...extra });
  const cookie = await standIn.seal(await standIn.sign(claims()), standIn.refreshToken());
  const request = new Request("http://app.test/", { headers: { cookie: `wos-session=${cookie}` } });
  try {
    const plain = await openWorkosBackend(env({}));
    ok(await plain.session(request));
    await plain.close();
    const tls = await openWorkosBackend(env({ WORKOS_API_HTTPS: "true" }));
    await rejects(tls.session(request), (error) => {
      ok(isNetScriptError(error));
      equal(error.code, "AUTH_PROVIDER_UNAVAILABLE");
      ok(error.message.includes(`https://localhost:${standIn.port}`), error.message);
      return true;
    });
    await tls.close();
  } finally {
    await standIn.close();
  }
});

Deno.test("openWorkosBackend() names the cookie after WORKOS_COOKIE_NAME", async () => {
  const backend = await openWorkosBackend(
    envFrom({ ...REQUIRED, WORKOS_COOKIE_NAME: "app-session", WORKOS_COOKIE_MAX_AGE: "600" }),
  );
  const response = await backend.signOut(new Request("http://app.test/"));
  equal(
    response.headers.get("set-cookie"),
    "app-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
  );
  await backend.close();
});

Deno.test("openWorkosBackend() refuses missing and unusable settings by name", async (t) => {
  await t.step("every unset required variable is named at once", async () => {
    await rejects(
      openWorkosBackend(envFrom({ WORKOS_CLIENT_ID: STAND_IN_CLIENT_ID, WORKOS_API_KEY: "" })),
      (error) => {
        refusal("AUTH_SETTING_MISSING", "WORKOS_API_KEY")(error);
        ok((error as Error).message.includes("WORKOS_COOKIE_PASSWORD"));
        ok(!(error as Error).message.includes("WORKOS_CLIENT_ID"));
        return true;
      },
    );
  });
  const invalid: Record<string, [string, Record<string, string>]> = {
    "a cookie password under 32 characters": [
      "WORKOS_COOKIE_PASSWORD",
      { WORKOS_COOKIE_PASSWORD: "short-password" },
    ],
    "a host name with a path": ["WORKOS_API_HOSTNAME", { WORKOS_API_HOSTNAME: "api.example/x" }],
    "a URL instead of a host": [
      "WORKOS_API_HOSTNAME",
      { WORKOS_API_HOSTNAME: "https://api.workos.com" },
    ],
    "a port out of range": ["WORKOS_API_HOSTNAME", { WORKOS_API_HOSTNAME: "127.0.0.1:70000" }],
    "WORKOS_API_HTTPS neither true nor false": ["WORKOS_API_HTTPS", { WORKOS_API_HTTPS: "yes" }],
    "a cookie lifetime that is no number": ["WORKOS_COOKIE_MAX_AGE", {
      WORKOS_COOKIE_MAX_AGE: "1d",
    }],
  };
  for (const [name, [variable, values]] of Object.entries(invalid)) {
    await t.step(name, async () => {
      await rejects(
        openWorkosBackend(envFrom({ ...REQUIRED, ...values })),
        refusal("AUTH_SETTING_INVALID", variable),
      );
    });
  }
});
