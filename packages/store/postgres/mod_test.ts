import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../tests/support/exports.ts";

Deno.test("@netscript/store/postgres exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createPostgresListener",
    "describePostgresTarget",
    "inTransaction",
    "type InTransactionOptions",
    "type PostgresListenerOptions",
    "type PostgresTargetConfig",
    "preparedRunner",
    "type PreparedRunnerOptions",
    "type SqlRunner",
    "storePool",
    "type StorePool",
    "type StorePoolOptions",
    "type WakeListener",
  ]);
});
