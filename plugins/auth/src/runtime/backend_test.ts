import { equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/store";
import { createLogger } from "@netscript/telemetry";
import { openAuthBackend } from "./backend.ts";

const logger = createLogger({ service: "auth-test", sink: () => {} });

Deno.test("an unknown NETSCRIPT_AUTH_BACKEND is refused, naming the three backends", async () => {
  await rejects(
    openAuthBackend(envFrom({ NETSCRIPT_AUTH_BACKEND: "okta" }), logger),
    (error: unknown) => {
      ok(isNetScriptError(error, "AUTH_BACKEND_UNKNOWN"), String(error));
      ok(error.message.includes("kv-oauth, workos, better-auth"), error.message);
      return true;
    },
  );
});

Deno.test("the default backend is kv-oauth, which names the first missing setting", async () => {
  await rejects(openAuthBackend(envFrom({}), logger), (error: unknown) => {
    ok(isNetScriptError(error, "AUTH_SETTING_MISSING"), String(error));
    ok(error.message.includes("AUTH_OIDC_ISSUER"), error.message);
    return true;
  });
});

Deno.test("each backend is selected by its name and asks for its own settings", async () => {
  for (
    const [name, variable] of [
      ["workos", "WORKOS_"],
      ["better-auth", "BETTER_AUTH_"],
      [" kv-oauth ", "AUTH_OIDC_"],
    ] as const
  ) {
    await rejects(
      openAuthBackend(envFrom({ NETSCRIPT_AUTH_BACKEND: name }), logger),
      (error: unknown) => {
        ok(isNetScriptError(error, "AUTH_SETTING_MISSING"), `${name}: ${error}`);
        ok(error.message.includes(variable), `${name}: ${error.message}`);
        equal(typeof error.details, "object");
        return true;
      },
    );
  }
});
