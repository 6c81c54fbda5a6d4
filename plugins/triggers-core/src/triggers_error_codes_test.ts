import { deepEqual, ok } from "node:assert/strict";
import { STREAMS_CORE_ERROR_CODES } from "@netscript/plugin-streams-core";
import { WORKERS_CORE_ERROR_CODES } from "@netscript/plugin-workers-core";
import { scanErrorCodes, unusedCodes, usesOutside } from "../../../tests/support/error_codes.ts";
import { TRIGGERS_ERROR_CODES } from "../mod.ts";

Deno.test("every code triggers-core raises or branches on is in its catalog, and each entry is used", async () => {
  const scan = await scanErrorCodes(new URL("../", import.meta.url), [
    "src/triggers_error_codes.ts",
  ]);
  deepEqual(
    usesOutside(scan, [TRIGGERS_ERROR_CODES, WORKERS_CORE_ERROR_CODES, STREAMS_CORE_ERROR_CODES]),
    [],
  );
  deepEqual(unusedCodes(scan, TRIGGERS_ERROR_CODES), []);
});

Deno.test("each TRIGGERS_ERROR_CODES entry says what happened and what to do", () => {
  for (const [code, meaning] of Object.entries(TRIGGERS_ERROR_CODES)) {
    ok(code.startsWith("TRIGGERS_"), code);
    ok(/\. [A-Z].+\.$/.test(meaning), meaning);
  }
});
