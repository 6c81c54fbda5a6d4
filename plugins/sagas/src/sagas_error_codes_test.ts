import { deepEqual, equal, ok } from "node:assert/strict";
import { COMMON_ERRORS, STORE_ERROR_CODES } from "@netscript/contracts";
import { SAGAS_CORE_ERROR_CODES } from "@netscript/plugin-sagas-core";
import { RUNTIME_ERROR_CODES } from "@netscript/runtime";
import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { SAGAS_ERRORS } from "../contracts/v1/mod.ts";
import { SAGAS_PLUGIN_ERROR_CODES } from "./public/mod.ts";

Deno.test("every code the sagas plugin raises or branches on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/sagas_error_codes.ts",
  ]);
  deepEqual(
    usesOutside(scan, [
      SAGAS_PLUGIN_ERROR_CODES,
      SAGAS_CORE_ERROR_CODES,
      RUNTIME_ERROR_CODES,
      STORE_ERROR_CODES,
      STORE_SELECTION_ERROR_CODES,
      COMMON_ERRORS,
    ]),
    [],
  );
  deepEqual(unusedCodes(scan, SAGAS_PLUGIN_ERROR_CODES), []);
});

Deno.test("each SAGAS_PLUGIN_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(SAGAS_PLUGIN_ERROR_CODES)) {
    ok(code.startsWith("SAGAS_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
    ok(!(code in SAGAS_CORE_ERROR_CODES), `${code} is not also a core code`);
  }
});

Deno.test("every typed error of the contract is a core code, with the status its meaning gives", () => {
  for (const [code, entry] of Object.entries(SAGAS_ERRORS)) {
    const meaning = SAGAS_CORE_ERROR_CODES[code as keyof typeof SAGAS_CORE_ERROR_CODES];
    ok(meaning !== undefined, `${code} is in SAGAS_CORE_ERROR_CODES`);
    const documented = meaning.match(/over HTTP, (\d{3})/)?.[1];
    if (documented !== undefined) equal(entry.status, Number(documented), code);
  }
});
