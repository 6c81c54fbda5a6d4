import { deepEqual, ok } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";
import { WORKERS_CORE_ERROR_CODES } from "@netscript/plugin-workers-core";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { SAGAS_CORE_ERROR_CODES } from "../mod.ts";

Deno.test("every code sagas-core raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/sagas_error_codes.ts",
  ]);
  deepEqual(
    usesOutside(scan, [
      SAGAS_CORE_ERROR_CODES,
      WORKERS_CORE_ERROR_CODES,
      STORE_ERROR_CODES,
      STORE_SELECTION_ERROR_CODES,
    ]),
    [],
  );
  deepEqual(unusedCodes(scan, SAGAS_CORE_ERROR_CODES), []);
});

Deno.test("each SAGAS_CORE_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(SAGAS_CORE_ERROR_CODES)) {
    ok(code.startsWith("SAGAS_"), code);
    ok(/\. [A-Z`].+\.$/.test(meaning), meaning);
  }
});
