import { deepEqual, ok } from "node:assert/strict";
import { scanErrorCodes, unusedCodes, usesOutside } from "../tests/support/error_codes.ts";
import { ASPIRE_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/aspire raises or branches on is in its catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["aspire_error_codes.ts"]);
  deepEqual(usesOutside(scan, [ASPIRE_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, ASPIRE_ERROR_CODES), []);
});

Deno.test("each ASPIRE_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(ASPIRE_ERROR_CODES)) {
    ok(code.startsWith("ASPIRE_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
