import { deepEqual, ok } from "node:assert/strict";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { SDK_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/sdk raises or branches on is in its catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["sdk_error_codes.ts"]);
  deepEqual(usesOutside(scan, [SDK_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, SDK_ERROR_CODES), []);
});

Deno.test("each SDK_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(SDK_ERROR_CODES)) {
    ok(code.startsWith("SERVICE_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
