import { deepEqual, ok } from "node:assert/strict";
import { scanErrorCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { AUTH_ERROR_CODES } from "../mod.ts";

Deno.test("every code auth-core raises is in its catalog", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), ["src/auth_error_codes.ts"]);
  deepEqual(usesOutside(scan, [AUTH_ERROR_CODES]), []);
});

Deno.test("each AUTH_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(AUTH_ERROR_CODES)) {
    ok(code.startsWith("AUTH_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
