import { deepEqual, equal, ok } from "node:assert/strict";
import { isStoreError, NetScriptError, STORE_ERROR_CODES } from "./errors.ts";

Deno.test("STORE_ERROR_CODES holds the two store codes, each saying what to do", () => {
  deepEqual(Object.keys(STORE_ERROR_CODES), ["STORE_UNAVAILABLE", "SCHEMA_MISSING"]);
  for (const meaning of Object.values(STORE_ERROR_CODES)) ok(meaning.includes(";"), meaning);
  ok(STORE_ERROR_CODES.SCHEMA_MISSING.includes("netscript db migrate"));
});

Deno.test("isStoreError() accepts only NetScript errors with a store code", () => {
  equal(isStoreError(new NetScriptError("STORE_UNAVAILABLE", "down")), true);
  equal(isStoreError(new NetScriptError("SCHEMA_MISSING", "no tables")), true);
  equal(isStoreError(new NetScriptError("toString", "inherited names do not count")), false);
  equal(isStoreError(new NetScriptError("WORKERS_UNKNOWN_JOB", "other")), false);
  equal(isStoreError(Object.assign(new Error("plain"), { code: "STORE_UNAVAILABLE" })), false);
  equal(isStoreError(undefined), false);
});
