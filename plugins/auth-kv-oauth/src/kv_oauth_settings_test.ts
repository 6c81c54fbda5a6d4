import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "@netscript/plugin-auth-core";
import { createKvOAuthBackend, type KvOAuthBackendOptions } from "../mod.ts";
import { resolveSettings } from "./kv_oauth_settings.ts";

const BASE: Omit<KvOAuthBackendOptions, "kv"> = {
  issuer: "https://id.example.com",
  clientId: "my-app",
  clientSecret: "client-secret",
  secret: "a-secret-of-at-least-thirty-two-characters",
};

Deno.test("resolveSettings() fills in the defaults", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const settings = resolveSettings({ ...BASE, kv });
    deepEqual(settings.scopes, ["openid", "email", "profile"]);
    equal(settings.sessionTtlSeconds, 604_800);
    equal(settings.signInTtlSeconds, 600);
    equal(settings.publicOrigin, null);
    equal(settings.allowInsecureRequests, false);
    equal(
      resolveSettings({ ...BASE, kv, publicUrl: "https://app.example/x" }).publicOrigin,
      "https://app.example",
    );
  } finally {
    kv.close();
  }
});

Deno.test("plain http is allowed for an issuer on this machine only", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (
      const issuer of [
        "http://127.0.0.1:4010",
        "http://localhost:4010/realms/x",
        "http://[::1]:4010",
      ]
    ) {
      equal(resolveSettings({ ...BASE, kv, issuer }).allowInsecureRequests, true, issuer);
    }
    for (
      const issuer of ["http://id.example.com", "http://127.0.0.2", "http://localhost.evil.example"]
    ) {
      throws(() => resolveSettings({ ...BASE, kv, issuer }), (error: unknown) => {
        ok(isNetScriptError<AuthErrorCode>(error, "AUTH_SETTING_INVALID"), issuer);
        equal(error.details.setting, "issuer");
        return true;
      });
    }
  } finally {
    kv.close();
  }
});

Deno.test("bad lifetimes and scopes without openid are programming errors", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    throws(() => resolveSettings({ ...BASE, kv, scopes: ["email"] }), RangeError);
    throws(() => resolveSettings({ ...BASE, kv, sessionTtlSeconds: 0 }), RangeError);
    throws(() => resolveSettings({ ...BASE, kv, signInTtlSeconds: 1.5 }), RangeError);
  } finally {
    kv.close();
  }
});

Deno.test("createKvOAuthBackend() has every capability and leaves a given KV open", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const backend = await createKvOAuthBackend({ ...BASE, kv });
    equal(backend.name, "kv-oauth");
    deepEqual([...backend.capabilities].sort(), [
      "interactive-sign-in",
      "manage-sessions",
      "refresh",
    ]);
    await backend.close();
    await kv.set(["still", "open"], true);
    equal((await kv.get(["still", "open"])).value, true);
  } finally {
    kv.close();
  }
});
