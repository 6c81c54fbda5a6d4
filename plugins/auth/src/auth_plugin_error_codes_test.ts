import { deepEqual, ok } from "node:assert/strict";
import { AUTH_ERROR_CODES } from "@netscript/plugin-auth-core";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { AUTH_PLUGIN_ERROR_CODES } from "./auth_plugin_error_codes.ts";

Deno.test("every code the auth plugin raises is in a catalog, and each of its own is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/auth_plugin_error_codes.ts",
  ]);
  deepEqual(usesOutside(scan, [AUTH_PLUGIN_ERROR_CODES, AUTH_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, AUTH_PLUGIN_ERROR_CODES), []);
});

Deno.test("each AUTH_PLUGIN_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(AUTH_PLUGIN_ERROR_CODES)) {
    ok(code.startsWith("AUTH_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
