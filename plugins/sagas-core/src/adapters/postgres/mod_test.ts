import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../../../tests/support/exports.ts";

Deno.test("@netscript/plugin-sagas-core/postgres exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createPostgresSagaStore",
    "type CreatePostgresSagaStoreOptions",
    "startSagaInTransaction",
  ]);
});
