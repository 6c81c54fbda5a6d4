import { deepEqual, ok } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { RUNTIME_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/runtime raises or branches on is in its catalog or the shared store codes, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["runtime_error_codes.ts"]);
  deepEqual(usesOutside(scan, [RUNTIME_ERROR_CODES, STORE_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, RUNTIME_ERROR_CODES), []);
});

Deno.test("each RUNTIME_ERROR_CODES entry says what the code means and what to do", () => {
  for (const [code, meaning] of Object.entries(RUNTIME_ERROR_CODES)) {
    ok(code.startsWith("RUNTIME_"), code);
    ok(meaning.includes(";") && meaning.length > 60, meaning);
  }
});
