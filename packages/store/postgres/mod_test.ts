import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../tests/support/exports.ts";

Deno.test("@netscript/store/postgres exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createPostgresListener",
    "describePostgresTarget",
    "type PostgresListenerOptions",
    "type PostgresTargetConfig",
    "type WakeListener",
  ]);
});
