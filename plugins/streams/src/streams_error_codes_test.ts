import { deepEqual, ok } from "node:assert/strict";
import { COMMON_ERRORS, STORE_ERROR_CODES } from "@netscript/contracts";
import { STREAMS_CORE_ERROR_CODES } from "@netscript/plugin-streams-core";
import { RUNTIME_ERROR_CODES } from "@netscript/runtime";
import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { STREAMS_ERROR_CODES } from "./public/mod.ts";

Deno.test("every code the streams plugin raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/streams_error_codes.ts",
  ]);
  deepEqual(
    usesOutside(scan, [
      STREAMS_ERROR_CODES,
      STREAMS_CORE_ERROR_CODES,
      RUNTIME_ERROR_CODES,
      STORE_ERROR_CODES,
      STORE_SELECTION_ERROR_CODES,
      COMMON_ERRORS,
    ]),
    [],
  );
  deepEqual(unusedCodes(scan, STREAMS_ERROR_CODES), []);
});

Deno.test("each STREAMS_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(STREAMS_ERROR_CODES)) {
    ok(code.startsWith("STREAMS_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
