import { deepEqual, ok } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { DB_ERROR_CODES } from "@netscript/db";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { CLI_ERROR_CODES } from "../main.ts";

Deno.test("every code the netscript commands raise or branch on is in a catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), ["src/cli_error_codes.ts"]);
  deepEqual(usesOutside(scan, [CLI_ERROR_CODES, DB_ERROR_CODES, STORE_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, CLI_ERROR_CODES), []);
});

Deno.test("each CLI_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(CLI_ERROR_CODES)) {
    ok(/^[A-Z]+(_[A-Z]+)*$/.test(code), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
