import { equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createLogger } from "@netscript/telemetry";
import { redis, REDIS_URL } from "../../../tests/support/databases.ts";
import { assertAvailable } from "../../../tests/support/requirements.ts";
import {
  closeRedisConnection,
  createRedisConnection,
  describeRedisTarget,
  openRedisConnection,
  reportRedisConnection,
} from "./mod.ts";

Deno.test("openRedisConnection() fails at once with STORE_UNAVAILABLE when Redis is unreachable", async () => {
  const started = Date.now();
  await rejects(
    openRedisConnection("redis://:hunter2@127.0.0.1:1/3", {
      store: { dependency: "billing store" },
    }),
    (error: unknown) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      match(
        error.message,
        /^Cannot reach the billing store at Redis 127\.0\.0\.1:1\/3: .*ECONNREFUSED/,
      );
      equal(error.details.code, "ECONNREFUSED");
      equal(error.details.dependency, "billing store");
      ok(!JSON.stringify(error).includes("hunter2"));
      return true;
    },
  );
  ok(Date.now() - started < 5_000, "no endless reconnecting");
});

Deno.test("openRedisConnection() refuses a URL that is not redis:// or rediss://", async () => {
  await rejects(
    openRedisConnection("http://user:secret@127.0.0.1:6379", {
      store: { label: "the billing store" },
    }),
    (error: unknown) => {
      ok(isNetScriptError(error, "STORE_INVALID"), String(error));
      equal(
        error.message,
        'The Redis URL "http://***@127.0.0.1:6379" of the billing store must start with redis:// or rediss://',
      );
      return true;
    },
  );
});

Deno.test("describeRedisTarget() names host, port and database, never the password", () => {
  const client = createRedisConnection("redis://:secret@cache:6380/2");
  equal(describeRedisTarget(client), "cache:6380/2");
  client.disconnect();
});

Deno.test({
  name: "openRedisConnection() connects; reportRedisConnection() logs trouble once and the return",
  ignore: redis.ignore,
  async fn() {
    assertAvailable(redis, "redis");
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger({
      service: "t",
      sink: (line, level) => lines.push({ level, msg: JSON.parse(line).msg }),
    });
    const client = await openRedisConnection(REDIS_URL, { connectionName: "netscript-kit-test" });
    const stop = reportRedisConnection(client, { name: "billing store connection", logger });
    try {
      equal(await client.ping(), "PONG");
      const id = await client.client("ID");
      const admin = await openRedisConnection(REDIS_URL);
      try {
        equal(await admin.call("CLIENT", "KILL", "ID", String(id)), 1);
      } finally {
        await closeRedisConnection(admin);
      }
      for (let i = 0; i < 100 && !lines.some((l) => l.msg.endsWith("is back")); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      equal(await client.ping(), "PONG", "reconnected");
      equal(lines[0]?.msg, "billing store connection failed; reconnecting");
      equal(lines.at(-1)?.msg, "billing store connection is back");
    } finally {
      stop();
      await closeRedisConnection(client);
    }
    equal(client.status, "end");
  },
});
