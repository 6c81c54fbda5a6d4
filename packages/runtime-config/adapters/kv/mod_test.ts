import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../../tests/support/exports.ts";

Deno.test("@netscript/runtime-config/kv exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createKvConfigStore",
    "type CreateKvConfigStoreOptions",
  ]);
});
