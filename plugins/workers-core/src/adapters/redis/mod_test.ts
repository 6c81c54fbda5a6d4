import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../../../tests/support/exports.ts";

Deno.test("@netscript/plugin-workers-core/redis exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createRedisJobQueue",
    "type CreateRedisJobQueueOptions",
    "RedisJobQueue",
    "type RedisJobQueueOptions",
  ]);
});
