import { equal, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "@netscript/plugin-auth-core";
import { envFrom } from "@netscript/store";
import { DEFAULT_AUTH_KV_PATH, openKvOAuthBackend } from "../mod.ts";
import { randomToken } from "./random_token.ts";

const CLIENT_SECRET = `client-secret-${randomToken()}`;
const AUTH_SECRET = `auth-secret-${randomToken()}`;

const ENV = {
  AUTH_OIDC_ISSUER: "https://id.example.com",
  AUTH_OIDC_CLIENT_ID: "my-app",
  AUTH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  AUTH_SECRET,
};

async function expectSettingError(
  values: Record<string, string | undefined>,
  code: AuthErrorCode,
  variable: string,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const error = await openKvOAuthBackend(envFrom({ ...values, AUTH_KV_PATH: `${dir}/auth.kv` }))
      .then(() => null, (caught: unknown) => caught);
    ok(isNetScriptError<AuthErrorCode>(error, code), `${variable}: ${error}`);
    equal(error.details.setting, variable);
    ok(error.message.includes(variable), error.message);
    const secrets = [
      CLIENT_SECRET,
      AUTH_SECRET,
      values.AUTH_SECRET,
      values.AUTH_OIDC_CLIENT_SECRET,
    ];
    for (const secret of secrets.filter((value) => value !== undefined && value !== "")) {
      ok(!JSON.stringify(error).includes(secret!), "no secret in the error");
    }
    equal([...Deno.readDirSync(dir)].length, 0, "no KV file was opened");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openKvOAuthBackend() names each missing variable", async () => {
  for (const variable of Object.keys(ENV)) {
    await expectSettingError({ ...ENV, [variable]: "" }, "AUTH_SETTING_MISSING", variable);
    await expectSettingError({ ...ENV, [variable]: undefined }, "AUTH_SETTING_MISSING", variable);
  }
});

Deno.test("openKvOAuthBackend() refuses an issuer that is not a usable http(s) URL", async () => {
  for (
    const issuer of [
      "id.example.com",
      "ftp://id.example.com",
      "http://id.example.com",
      "http://10.0.0.5:8080",
      "https://user:pass@id.example.com",
      "https://id.example.com/?tenant=a",
    ]
  ) {
    await expectSettingError(
      { ...ENV, AUTH_OIDC_ISSUER: issuer },
      "AUTH_SETTING_INVALID",
      "AUTH_OIDC_ISSUER",
    );
  }
});

Deno.test("openKvOAuthBackend() refuses a short AUTH_SECRET without quoting it", async () => {
  await expectSettingError(
    { ...ENV, AUTH_SECRET: "short-secret-value-x" },
    "AUTH_SETTING_INVALID",
    "AUTH_SECRET",
  );
});

Deno.test("openKvOAuthBackend() refuses an AUTH_PUBLIC_URL that is not an http(s) URL", async () => {
  await expectSettingError(
    { ...ENV, AUTH_PUBLIC_URL: "app.example" },
    "AUTH_SETTING_INVALID",
    "AUTH_PUBLIC_URL",
  );
});

Deno.test("openKvOAuthBackend() opens AUTH_KV_PATH, creating its folder, and close() closes it", async () => {
  equal(DEFAULT_AUTH_KV_PATH, ".netscript/data/auth.kv");
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/nested/data/auth.kv`;
    const backend = await openKvOAuthBackend(envFrom({
      ...ENV,
      AUTH_OIDC_ISSUER: "http://localhost:1",
      AUTH_PUBLIC_URL: "https://app.example/ignored/path",
      AUTH_KV_PATH: path,
    }));
    equal(backend.name, "kv-oauth");
    equal(await backend.session(new Request("https://app.example/")), null);
    ok((await Deno.stat(path)).isFile);
    await backend.close();
    await backend.close();
    // The test's resource sanitizer fails it if the KV file were left open.
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
