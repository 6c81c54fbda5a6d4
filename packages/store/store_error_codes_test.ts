import { deepEqual } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { STORE_SELECTION_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/store raises or branches on is in its catalog or the shared store codes, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["store_error_codes.ts"]);
  deepEqual(usesOutside(scan, [STORE_SELECTION_ERROR_CODES, STORE_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, STORE_SELECTION_ERROR_CODES), []);
});
