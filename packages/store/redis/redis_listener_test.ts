import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { redis, REDIS_URL } from "../../../tests/support/databases.ts";
import { assertAvailable } from "../../../tests/support/requirements.ts";
import {
  closeRedisConnection,
  createRedisConnection,
  createRedisListener,
  openRedisConnection,
} from "./mod.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(wait: Promise<void>): Promise<number> {
  const started = performance.now();
  await wait;
  return performance.now() - started;
}

Deno.test({
  name: "a Redis listener wakes on its channels, survives a killed subscriber, and closes",
  ignore: redis.ignore,
  async fn() {
    assertAvailable(redis, "redis");
    const channel = `netscript-kit-test:${crypto.randomUUID()}`;
    const other = `${channel}:other`;
    const logs: { level: LogLevel; msg: string }[] = [];
    const messages: [string, string][] = [];
    const source = await openRedisConnection(REDIS_URL);
    const publisher = await openRedisConnection(REDIS_URL);
    const listener = createRedisListener({
      source,
      channels: [channel, other],
      name: "billing listener",
      connectionName: "netscript-kit-listener",
      logger: createLogger({
        service: "t",
        sink: (line, level) => logs.push({ level, msg: JSON.parse(line).msg }),
      }),
      onMessage: (from, message) => messages.push([from, message]),
    });
    try {
      ok(await timed(listener.wait(10_000)) < 5_000, "the first wait returns once subscribed");
      for (const to of [channel, other]) {
        const woken = timed(listener.wait(10_000));
        await sleep(50);
        await publisher.publish(to, "hello");
        ok(await woken < 2_000, `a message on ${to} woke the waiter`);
      }
      deepEqual(messages, [[channel, "hello"], [other, "hello"]]);

      await publisher.publish(channel, "missed");
      await sleep(100);
      ok(
        await timed(listener.wait(10_000)) < 100,
        "a message nobody waited for ends the next wait",
      );

      const list = await publisher.client("LIST") as string;
      const id = /id=(\d+) .*name=netscript-kit-listener/.exec(list)?.[1];
      ok(id, "the subscriber shows in CLIENT LIST under its name");
      const pending = timed(listener.wait(10_000));
      await publisher.call("CLIENT", "KILL", "ID", id);
      ok(await pending < 3_000, "the drop woke the waiter");
      ok(await timed(listener.wait(10_000)) < 5_000, "it subscribes again");
      const woken = timed(listener.wait(10_000));
      await sleep(50);
      await publisher.publish(channel, "again");
      ok(await woken < 2_000, "messages arrive on the new subscription");
      deepEqual(logs.map((log) => [log.level, log.msg]), [
        ["warn", "billing listener cannot listen; waits fall back to polling"],
        ["info", "billing listener reconnected"],
      ]);

      const last = timed(listener.wait(10_000));
      await listener.close();
      ok(await last < 1_000, "close() ends a pending wait");
      ok(await timed(listener.wait(10_000)) < 100, "a closed listener does not wait");
      equal(source.status, "ready", "the source connection stays open");
    } finally {
      await listener.close();
      await closeRedisConnection(source);
      await closeRedisConnection(publisher);
    }
  },
});

Deno.test("createRedisListener() needs a channel", () => {
  const source = createRedisConnection("redis://127.0.0.1:1");
  throws(() => createRedisListener({ source, channels: [] }), TypeError);
  source.disconnect();
});
