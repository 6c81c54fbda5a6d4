import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../tests/support/exports.ts";

Deno.test("@netscript/runtime/store exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "classifyStoreError",
    "DATA_FOLDER",
    "envFrom",
    "type EnvReader",
    "processEnv",
    "redactSecrets",
    "RUNTIME_ERROR_CODES",
    "type RuntimeErrorCode",
    "selectStore",
    "type SelectStoreOptions",
    "type StoreDriver",
    "type StoreErrorOptions",
    "type StoreKind",
    "type StoreSelection",
    "storeUnavailableError",
    "type StoreUnavailableOptions",
    "type WakeListener",
    "WakeSignal",
  ]);
});
