import { deepEqual } from "node:assert/strict";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../tests/support/error_codes.ts";
import { CONFIG_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/runtime-config raises or branches on is in its catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("./", import.meta.url), ["config_errors.ts"]);
  deepEqual(usesOutside(scan, [CONFIG_ERROR_CODES]), []);
  deepEqual(unusedCodes(scan, CONFIG_ERROR_CODES), []);
});
