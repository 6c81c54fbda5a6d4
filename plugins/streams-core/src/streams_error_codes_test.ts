import { deepEqual, ok } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { STREAMS_CORE_ERROR_CODES } from "../mod.ts";

Deno.test("every code streams-core raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/streams_error_codes.ts",
  ]);
  deepEqual(usesOutside(scan, [STREAMS_CORE_ERROR_CODES, STORE_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, STREAMS_CORE_ERROR_CODES), []);
});

Deno.test("each STREAMS_CORE_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(STREAMS_CORE_ERROR_CODES)) {
    ok(code.startsWith("STREAMS_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
