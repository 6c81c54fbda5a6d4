import { deepEqual, ok } from "node:assert/strict";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { DB_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/db raises or branches on is in its catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["db_error_codes.ts"]);
  deepEqual(usesOutside(scan, [DB_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, DB_ERROR_CODES), []);
});

Deno.test("each DB_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(DB_ERROR_CODES)) {
    ok(code.startsWith("DB_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
