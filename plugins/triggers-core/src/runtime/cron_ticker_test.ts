import { deepEqual, equal, ok } from "node:assert/strict";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { createMemoryDeliveryStore } from "../adapters/memory/mod.ts";
import { type CronDefinition, defineCron, type MissedTicks } from "../dsl/define_cron.ts";
import type { DeliveryStore } from "../ports/delivery_store.ts";
import { soon } from "../testing/_fixtures.ts";
import { createCronTicker, type CronTicker, type RecordedTick } from "./cron_ticker.ts";

/** A minutely cron trigger with `missed` and `jitter`. */
function minutely(options: { name?: string; missed?: MissedTicks; jitter?: number } = {}) {
  return defineCron({
    name: options.name ?? "minutely",
    cron: "* * * * *",
    missed: options.missed ?? "latest",
    jitter: options.jitter ?? 0,
    dispatch: () => null,
  });
}

interface Harness {
  readonly store: DeliveryStore;
  readonly logs: { level: LogLevel; line: string }[];
  /** Moves the fake clock to `iso`. */
  at(iso: string): void;
  ticker(crons: readonly CronDefinition[]): CronTicker;
}

/** Runs `body` over a fresh memory store with a fake clock at 2026-01-01T00:00:30Z. */
async function withTicker(body: (harness: Harness) => Promise<void>): Promise<void> {
  const store = createMemoryDeliveryStore();
  const logs: Harness["logs"] = [];
  const logger = createLogger({
    service: "test",
    sink: (line, level) => logs.push({ level, line }),
  });
  let now = new Date("2026-01-01T00:00:30Z");
  try {
    await body({
      store,
      logs,
      at: (iso) => now = new Date(iso),
      ticker: (crons) => createCronTicker({ store, crons, logger, now: () => now }),
    });
  } finally {
    await store.close();
  }
}

/** The ticks of `recorded`, as ISO strings. */
function ticks(recorded: readonly RecordedTick[]): string[] {
  return recorded.map((tick) => tick.tick.toISOString());
}

Deno.test("a new ticker records no tick that came before it started", async () => {
  await withTicker(async ({ store, ticker }) => {
    deepEqual(await ticker([minutely()]).check(), []);
    equal((await store.list()).total, 0);
    equal(await store.cursor("minutely"), null);
  });
});

Deno.test("the ticker records each tick once, as a cron delivery keyed by its time", async () => {
  await withTicker(async ({ store, at, ticker }) => {
    const cron = ticker([minutely()]);
    await cron.check();
    at("2026-01-01T00:01:05Z");
    const [recorded, ...rest] = await cron.check();
    deepEqual(rest, []);
    equal(recorded?.tick.toISOString(), "2026-01-01T00:01:00.000Z");
    equal(recorded?.duplicate, false);
    const delivery = await store.get(recorded!.deliveryId);
    equal(delivery?.trigger, "minutely");
    equal(delivery?.source, "cron");
    equal(delivery?.key, "2026-01-01T00:01:00.000Z");
    deepEqual(delivery?.payload, { scheduledAt: "2026-01-01T00:01:00.000Z" });
    equal(await store.cursor("minutely"), "2026-01-01T00:01:00.000Z");
    at("2026-01-01T00:01:50Z");
    deepEqual(await cron.check(), []);
    at("2026-01-01T00:02:00Z");
    deepEqual(ticks(await cron.check()), ["2026-01-01T00:02:00.000Z"]);
    equal((await store.list()).total, 2);
  });
});

Deno.test("two tickers on one store record one delivery per tick", async () => {
  await withTicker(async ({ store, at, ticker }) => {
    const first = ticker([minutely()]);
    const second = ticker([minutely()]);
    await first.check();
    await second.check();
    at("2026-01-01T00:01:05Z");
    const [mine] = await first.check();
    const [theirs] = await second.check();
    equal(mine?.duplicate, false);
    equal(theirs?.duplicate, true);
    equal(theirs?.deliveryId, mine?.deliveryId);
    equal((await store.list()).total, 1);
  });
});

Deno.test("after a restart, missed ticks follow each trigger's policy", async () => {
  await withTicker(async ({ store, at, ticker }) => {
    const crons = [
      minutely({ name: "latest", missed: "latest" }),
      minutely({ name: "all", missed: "all" }),
      minutely({ name: "skip", missed: "skip" }),
    ];
    const before = ticker(crons);
    await before.check();
    at("2026-01-01T00:01:05Z");
    equal((await before.check()).length, 3);
    // No processor ran from 00:01:05 to 00:05:30.
    at("2026-01-01T00:05:30Z");
    const after = ticker(crons);
    const caught = await after.check();
    const of = (name: string) => ticks(caught.filter((tick) => tick.trigger === name));
    deepEqual(of("latest"), ["2026-01-01T00:05:00.000Z"]);
    deepEqual(of("all"), [
      "2026-01-01T00:02:00.000Z",
      "2026-01-01T00:03:00.000Z",
      "2026-01-01T00:04:00.000Z",
      "2026-01-01T00:05:00.000Z",
    ]);
    deepEqual(of("skip"), []);
    ok(caught.every((tick) => !tick.duplicate));
    at("2026-01-01T00:06:01Z");
    deepEqual(ticks(await after.check()), [
      "2026-01-01T00:06:00.000Z",
      "2026-01-01T00:06:00.000Z",
      "2026-01-01T00:06:00.000Z",
    ]);
    equal((await store.list({ trigger: "all" })).total, 6);
    equal((await store.list({ trigger: "skip" })).total, 2);
  });
});

Deno.test("a tick's jitter delays its delivery by at most the jitter", async () => {
  await withTicker(async ({ store, at, ticker }) => {
    const jittered = minutely({ missed: "all", jitter: 30_000 });
    const before = ticker([jittered]);
    await before.check();
    at("2026-01-01T00:01:05Z");
    equal((await before.check()).length, 1);
    // A restart an hour later catches up on 60 ticks, each with its own delay.
    at("2026-01-01T01:01:05Z");
    const recorded = await ticker([jittered]).check();
    equal(recorded.length, 60);
    const delays = await Promise.all(recorded.map(async ({ tick, deliveryId }) => {
      const delivery = await store.get(deliveryId);
      return delivery!.runAt.getTime() - tick.getTime();
    }));
    ok(delays.every((delay) => delay >= 0 && delay <= 30_000), JSON.stringify(delays));
    ok(new Set(delays).size > 1, "the delays are random");
  });
});

Deno.test("a trigger the store refuses is logged and does not stop the others", async () => {
  await withTicker(async ({ store, logs, at, ticker }) => {
    // A definition that bypassed defineCron: no store can keep its name.
    const unstorable: CronDefinition = { ...minutely(), name: "broken\u0000" };
    const cron = ticker([unstorable, minutely({ name: "healthy" })]);
    await cron.check();
    at("2026-01-01T00:01:05Z");
    const recorded = await cron.check();
    deepEqual(recorded.map((tick) => tick.trigger), ["healthy"]);
    equal((await store.list()).total, 1);
    ok(
      logs.some(({ level, line }) =>
        level === "error" && line.includes("cannot record a cron tick") &&
        line.includes("broken")
      ),
      JSON.stringify(logs),
    );
  });
});

Deno.test("start() checks until stop()", async () => {
  await withTicker(async ({ ticker }) => {
    const cron = ticker([minutely()]);
    const running = cron.start();
    await soon(cron.stop(), "stop()");
    await running;
  });
});
