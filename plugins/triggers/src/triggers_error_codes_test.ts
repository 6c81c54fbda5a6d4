import { deepEqual, ok } from "node:assert/strict";
import { COMMON_ERRORS, STORE_ERROR_CODES } from "@netscript/contracts";
import { TRIGGERS_ERROR_CODES } from "@netscript/plugin-triggers-core";
import { RUNTIME_ERROR_CODES } from "@netscript/runtime";
import { SDK_ERROR_CODES } from "@netscript/sdk";
import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { TRIGGERS_PLUGIN_ERROR_CODES } from "./public/mod.ts";

Deno.test("every code the triggers plugin raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/triggers_error_codes.ts",
  ]);
  deepEqual(
    usesOutside(scan, [
      TRIGGERS_PLUGIN_ERROR_CODES,
      TRIGGERS_ERROR_CODES,
      RUNTIME_ERROR_CODES,
      STORE_ERROR_CODES,
      STORE_SELECTION_ERROR_CODES,
      COMMON_ERRORS,
      SDK_ERROR_CODES,
    ]),
    [],
  );
  deepEqual(unusedCodes(scan, TRIGGERS_PLUGIN_ERROR_CODES), []);
});

Deno.test("each TRIGGERS_PLUGIN_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(TRIGGERS_PLUGIN_ERROR_CODES)) {
    ok(code.startsWith("TRIGGERS_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
