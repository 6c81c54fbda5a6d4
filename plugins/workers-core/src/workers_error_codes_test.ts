import { deepEqual, ok } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { WORKERS_CORE_ERROR_CODES } from "../mod.ts";

Deno.test("every code workers-core raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/workers_error_codes.ts",
  ]);
  deepEqual(
    usesOutside(scan, [WORKERS_CORE_ERROR_CODES, STORE_ERROR_CODES, STORE_SELECTION_ERROR_CODES]),
    [],
  );
  deepEqual(unusedCodes(scan, WORKERS_CORE_ERROR_CODES), []);
});

Deno.test("each WORKERS_CORE_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(WORKERS_CORE_ERROR_CODES)) {
    ok(code.startsWith("WORKERS_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
