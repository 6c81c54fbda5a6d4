import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/store exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "checkStateEventLimit",
    "checkStoreUrl",
    "type CheckStoreUrlOptions",
    "classifyStoreError",
    "createTimeOrderedId",
    "DATA_FOLDER",
    "envFrom",
    "type EnvReader",
    "firstTimeOrderedIdAt",
    "isWatched",
    "MemoryStateEvents",
    "type OpenedStore",
    "openSelectedStore",
    "processEnv",
    "readVariable",
    "redactSecrets",
    "selectStore",
    "type SelectStoreOptions",
    "type StateEvent",
    "type StateEventLog",
    "STORE_SELECTION_ERROR_CODES",
    "type StoreDriver",
    "type StoreErrorOptions",
    "type StoreKind",
    "type StoreOpeners",
    "type StoreSelection",
    "type StoreSelectionErrorCode",
    "storeUnavailableError",
    "type StoreUnavailableOptions",
    "type WakeListener",
    "WakeSignal",
    "type WatchedState",
  ]);
});
