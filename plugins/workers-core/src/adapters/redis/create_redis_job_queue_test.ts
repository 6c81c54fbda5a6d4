import { equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { createRedisJobQueue } from "./mod.ts";
import { quiet } from "./testdata/redis_queues.ts";

Deno.test("createRedisJobQueue() fails at once with STORE_UNAVAILABLE when Redis is unreachable", async () => {
  const started = Date.now();
  await rejects(
    createRedisJobQueue({ url: "redis://127.0.0.1:1", logger: quiet }),
    (error: unknown) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      match(
        error.message,
        /Cannot reach the workers job store at Redis 127\.0\.0\.1:1\/0: .*ECONNREFUSED/,
      );
      equal(error.details.target, "127.0.0.1:1/0");
      equal(error.details.code, "ECONNREFUSED");
      return true;
    },
  );
  ok(Date.now() - started < 5_000, "no endless reconnecting");
});

Deno.test("createRedisJobQueue() refuses a URL that is not redis:// with STORE_INVALID", async () => {
  await rejects(
    createRedisJobQueue({ url: "http://user:secret@127.0.0.1:6379", logger: quiet }),
    (error: unknown) => {
      ok(isNetScriptError(error, "STORE_INVALID"), String(error));
      ok(!error.message.includes("secret"), error.message);
      match(error.message, /must start with redis:\/\/ or rediss:\/\//);
      return true;
    },
  );
});
