import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../tests/support/exports.ts";

Deno.test("@netscript/store/postgres exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createPostgresListener",
    "describePostgresTarget",
    "executorRunner",
    "inTransaction",
    "type InTransactionOptions",
    "type PgQueryable",
    "type PostgresListenerOptions",
    "type PostgresTargetConfig",
    "preparedRunner",
    "type PreparedRunnerOptions",
    "type PrismaRawQueryable",
    "type SqlExecutor",
    "type SqlRunner",
    "storePool",
    "type StorePool",
    "type StorePoolOptions",
    "type WakeListener",
  ]);
});
