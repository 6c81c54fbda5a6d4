import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../tests/support/exports.ts";

Deno.test("@netscript/store/kv exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "commitAtomic",
    "CommitDoorbell",
    "isKvLimitError",
    "KvChangeWaits",
    "type KvChangeWaitsOptions",
    "openKvFile",
    "type OpenKvFileOptions",
    "readMany",
    "waitForKvChange",
    "type WaitForKvChangeOptions",
  ]);
});
