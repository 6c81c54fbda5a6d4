import { deepEqual, ok } from "node:assert/strict";
import { COMMON_ERRORS, STORE_ERROR_CODES } from "@netscript/contracts";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { SERVICE_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/service raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["service_error_codes.ts"]);
  deepEqual(usesOutside(scan, [SERVICE_ERROR_CODES, STORE_ERROR_CODES, COMMON_ERRORS]), []);
  deepEqual(unusedCodes(scan, SERVICE_ERROR_CODES), []);
});

Deno.test("each SERVICE_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(SERVICE_ERROR_CODES)) {
    ok(code.startsWith("SERVICE_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
