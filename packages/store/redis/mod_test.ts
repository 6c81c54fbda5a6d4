import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../tests/support/exports.ts";

Deno.test("@netscript/store/redis exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "closeRedisConnection",
    "connectRedis",
    "type ConnectRedisOptions",
    "createRedisConnection",
    "createRedisListener",
    "describeRedisTarget",
    "openRedisConnection",
    "type OpenRedisConnectionOptions",
    "type RedisConnectionOptions",
    "type RedisListenerOptions",
    "type RedisStoreNames",
    "reportRedisConnection",
    "type ReportRedisConnectionOptions",
    "type WakeListener",
  ]);
});
