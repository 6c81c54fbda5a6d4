import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  applyRetention,
  createDurableStream,
  createDurableStreamsHandler,
  type DurableStream,
  encodeOffset,
  parseOffset,
  type StreamFetch,
  type StreamStore,
} from "@netscript/plugin-streams-core";
import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
import { createJobClient, defineJob } from "@netscript/plugin-workers-core";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { z } from "zod";
import { createMemoryDeliveryStore } from "../adapters/memory/mod.ts";
import { defineEvent, type EventDefinition } from "../dsl/define_event.ts";
import { triggersByName } from "../dsl/trigger_list.ts";
import type { DeliveryRecord, DeliveryStore } from "../ports/delivery_store.ts";
import { soon } from "../testing/_fixtures.ts";
import { createDispatcher } from "./dispatcher.ts";
import { createEventFollower, type EventFollower } from "./event_follower.ts";

const STREAMS_URL = "http://streams.test";

const fulfil = defineJob({
  name: "fulfil",
  input: z.object({ orderId: z.string() }),
  handler: () => {},
});

/** An event trigger on `orders` (or `topic`) that starts `fulfil` with each order's id. */
function onOrders(options: { topic?: string; input?: z.ZodType<{ id: string }> } = {}) {
  return defineEvent({
    name: "order-placed",
    on: { topic: options.topic ?? "orders" },
    ...(options.input === undefined ? {} : { input: options.input }),
    dispatch: (event) => ({
      job: fulfil,
      input: { orderId: (event.payload as { id: string }).id },
    }),
  });
}

interface Harness {
  /** The streams' store behind the handler. */
  readonly streams: StreamStore;
  /** The Durable Streams handler, as `streams-api` serves it. */
  readonly handler: StreamFetch;
  /** The `orders` topic, created. */
  readonly orders: DurableStream<unknown>;
  /** The outbox. */
  readonly store: DeliveryStore;
  readonly logs: { level: LogLevel; msg: string }[];
  /** A follower of `events`, over `store` and `fetch` unless given others; stopped at the end. */
  follower(
    events: readonly EventDefinition[],
    options?: { store?: DeliveryStore; fetch?: StreamFetch; retryDelayMs?: number },
  ): EventFollower;
}

/** Runs `body` over an in-process streams handler with an `orders` topic and a memory outbox. */
async function withStreams(
  body: (harness: Harness) => Promise<void>,
  handlerOptions: { longPollTimeoutMs?: number } = {},
): Promise<void> {
  const streams = await createMemoryStreamStore();
  const handler = createDurableStreamsHandler({ store: streams, ...handlerOptions });
  const orders = createDurableStream({
    topic: "orders",
    schema: z.unknown(),
    url: STREAMS_URL,
    fetch: handler,
  });
  await orders.create();
  const store = createMemoryDeliveryStore();
  const logs: Harness["logs"] = [];
  const logger = createLogger({
    service: "test",
    level: "debug",
    sink: (line, level) => logs.push({ level, msg: JSON.parse(line).msg }),
  });
  const followers: EventFollower[] = [];
  try {
    await body({
      streams,
      handler,
      orders,
      store,
      logs,
      follower(events, options = {}) {
        const follower = createEventFollower({
          store: options.store ?? store,
          events,
          streamsUrl: STREAMS_URL,
          fetch: options.fetch ?? handler,
          logger,
          retryDelayMs: options.retryDelayMs ?? 10,
        });
        followers.push(follower);
        return follower;
      },
    });
  } finally {
    await Promise.all(followers.map((follower) => follower.stop()));
    await store.close();
    await streams.close();
  }
}

/** Appends `count` orders numbered from `first` in one request; returns the offset after them. */
async function appendOrders(
  orders: DurableStream<unknown>,
  first: number,
  count: number,
): Promise<string> {
  const acks = await Promise.all(
    Array.from({ length: count }, (_, i) => orders.append({ id: `o-${first + i}`, total: i })),
  );
  return acks.at(-1)!.offset;
}

/** Waits until the store holds `count` deliveries; returns them, oldest first. */
async function deliveries(store: DeliveryStore, count: number): Promise<DeliveryRecord[]> {
  return await soon(
    (async () => {
      for (;;) {
        const page = await store.list({ limit: 1_000 });
        if (page.total >= count) return [...page.items].reverse();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })(),
    `${count} deliveries`,
  );
}

/** The order ids of deliveries. */
function ids(records: readonly DeliveryRecord[]): string[] {
  return records.map((record) => (record.payload as { id: string }).id);
}

/** The place in the topic a key names: its batch offset's position plus its index. */
function place(key: string | null): number {
  const [offset, index] = (key ?? "").split("#");
  const position = parseOffset(offset ?? "");
  return (position.kind === "position" ? position.position : NaN) + Number(index);
}

/** A store that fails its `fail`-th record, then works. */
function failingOnRecord(store: DeliveryStore, fail: number): DeliveryStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, property) {
      if (property === "record") {
        return (delivery: Parameters<DeliveryStore["record"]>[0]) =>
          ++calls === fail
            ? Promise.reject(new Error("the store went away"))
            : target.record(delivery);
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("the event follower records each message once, keyed by its batch offset and index, and moves the cursor", async () => {
  await withStreams(async ({ orders, store, follower }) => {
    const first = await appendOrders(orders, 0, 3);
    const running = follower([onOrders()]);
    void running.start();

    const old = await deliveries(store, 3);
    deepEqual(ids(old), ["o-0", "o-1", "o-2"]);
    deepEqual(old.map((d) => d.key), [0, 1, 2].map((i) => `${encodeOffset(0)}#${i}`));
    ok(old.every((d) => d.source === "event" && d.state === "pending"));
    deepEqual(old[0]!.payload, { id: "o-0", total: 0 });
    equal(await store.cursor("order-placed"), first);

    const next = await appendOrders(orders, 3, 2);
    const all = await deliveries(store, 5);
    deepEqual(ids(all), ["o-0", "o-1", "o-2", "o-3", "o-4"]);
    // Live messages come in batches of whatever the producer sent together:
    // the batch offset plus the index is the message's place in the topic.
    deepEqual(all.map((d) => place(d.key)), [0, 1, 2, 3, 4]);
    equal(await store.cursor("order-placed"), next);
  });
});

Deno.test("a restarted follower continues at the cursor without duplicates", async () => {
  await withStreams(async ({ orders, store, follower }) => {
    await appendOrders(orders, 0, 3);
    const before = follower([onOrders()]);
    const running = before.start();
    await deliveries(store, 3);
    await before.stop();
    await running;

    const tail = await appendOrders(orders, 3, 2);
    void follower([onOrders()]).start();
    const all = await deliveries(store, 5);
    deepEqual(ids(all), ["o-0", "o-1", "o-2", "o-3", "o-4"]);
    equal(new Set(all.map((d) => d.key)).size, 5);
    equal(await store.cursor("order-placed"), tail);
    await orders.append({ id: "o-5", total: 5 });
    deepEqual(ids(await deliveries(store, 6)).slice(5), ["o-5"]);
  });
});

Deno.test("a batch cut short by a crash is read again and each message recorded once", async (t) => {
  await t.step("the follower retries after the store fails", async () => {
    await withStreams(async ({ orders, store, follower, logs }) => {
      const tail = await appendOrders(orders, 0, 5);
      void follower([onOrders()], { store: failingOnRecord(store, 3) }).start();
      const all = await deliveries(store, 5);
      deepEqual(ids(all), ["o-0", "o-1", "o-2", "o-3", "o-4"]);
      equal(await store.cursor("order-placed"), tail);
      ok(logs.some((l) => l.level === "error" && l.msg === "cannot follow the topic; retrying"));
      equal((await store.list({ limit: 100 })).total, 5, "nothing was recorded twice");
    });
  });

  await t.step("a new follower after the first stopped mid-batch", async () => {
    await withStreams(async ({ orders, store, follower }) => {
      const tail = await appendOrders(orders, 0, 5);
      const crashed = follower([onOrders()], {
        store: failingOnRecord(store, 3),
        retryDelayMs: 600_000,
      });
      const running = crashed.start();
      deepEqual(ids(await deliveries(store, 2)), ["o-0", "o-1"]);
      await soon(crashed.stop(), "stopping the crashed follower");
      await running;
      equal(await store.cursor("order-placed"), null, "no cursor before the batch is recorded");

      void follower([onOrders()]).start();
      const all = await deliveries(store, 5);
      deepEqual(ids(all), ["o-0", "o-1", "o-2", "o-3", "o-4"]);
      equal(await store.cursor("order-placed"), tail);
      await new Promise((resolve) => setTimeout(resolve, 50));
      equal((await store.list()).total, 5, "the re-read messages were deduplicated");
    });
  });
});

Deno.test("a message its input refuses is recorded rejected and never dispatched", async () => {
  await withStreams(async ({ orders, store, follower }) => {
    const Order = z.object({
      id: z.string(),
      total: z.number().min(0),
      note: z.string().default(""),
    });
    await orders.append({ id: "o-1", total: 10 });
    await orders.append({ id: "o-2", total: -1 });
    await orders.append({ id: "o-3", total: 30 });
    const trigger = onOrders({ input: Order });
    void follower([trigger]).start();
    const all = await deliveries(store, 3);
    deepEqual(all.map((d) => d.state), ["pending", "rejected", "pending"]);
    match(all[1]!.error ?? "", /total/);
    deepEqual(all[1]!.payload, { id: "o-2", total: -1 }, "a rejected message is kept as read");
    deepEqual(all[0]!.payload, { id: "o-1", total: 10, note: "" }, "the schema's output is kept");

    const queue = new MemoryJobQueue();
    const dispatcher = createDispatcher({
      store,
      triggers: triggersByName([{ file: "triggers/order_placed.ts", definition: trigger }]),
      jobs: createJobClient({ queue, jobs: [fulfil] }),
      logger: createLogger({ service: "test", sink: () => {} }),
    });
    equal(await dispatcher.drain(), 2);
    equal(await dispatcher.drain(), 0);
    const jobs = (await queue.list()).items;
    deepEqual(
      jobs.map((job) => job.input).sort((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1),
      [
        { orderId: "o-1" },
        { orderId: "o-3" },
      ],
    );
  });
});

Deno.test("every message starts its job exactly once through the dispatcher", async () => {
  await withStreams(async ({ orders, store, follower }) => {
    const trigger = onOrders();
    const queue = new MemoryJobQueue();
    const dispatcher = createDispatcher({
      store,
      triggers: triggersByName([{ file: "triggers/order_placed.ts", definition: trigger }]),
      jobs: createJobClient({ queue, jobs: [fulfil] }),
      logger: createLogger({ service: "test", sink: () => {} }),
      pollMs: 10,
    });
    const dispatching = dispatcher.start();
    void follower([trigger], { store: failingOnRecord(store, 4) }).start();
    await appendOrders(orders, 0, 6);
    await appendOrders(orders, 6, 4);
    await soon(
      (async () => {
        while ((await queue.list()).total < 10) await new Promise((r) => setTimeout(r, 5));
      })(),
      "ten jobs",
    );
    await dispatcher.stop();
    await dispatching;
    const started = (await queue.list({ limit: 100 })).items.map((job) =>
      (job.input as { orderId: string }).orderId
    );
    deepEqual(started.sort(), Array.from({ length: 10 }, (_, i) => `o-${i}`).sort());
  });
});

Deno.test("stopping the follower ends its live read at once", async () => {
  await withStreams(async ({ orders, store, follower }) => {
    await orders.append({ id: "o-1", total: 1 });
    const running = follower([onOrders()]);
    const done = running.start();
    await deliveries(store, 1);
    // The long-poll now waits up to ten minutes for a new message.
    await soon(running.stop(), "stop during a long-poll");
    await soon(done, "the follower's start()");
  }, { longPollTimeoutMs: 600_000 });
});

Deno.test("an unreachable streams-api or a missing topic is logged and retried", async (t) => {
  await t.step("streams-api down, then up", async () => {
    await withStreams(async ({ handler, orders, store, follower, logs }) => {
      await orders.append({ id: "o-1", total: 1 });
      let refused = 0;
      const flaky: StreamFetch = (request) =>
        refused++ < 4 ? Promise.reject(new TypeError("connection refused")) : handler(request);
      void follower([onOrders()], { fetch: flaky }).start();
      deepEqual(ids(await deliveries(store, 1)), ["o-1"]);
      ok(
        logs.some((l) =>
          l.level === "error" && l.msg === "cannot reach streams-api to read the topic; retrying"
        ),
      );
    });
  });

  await t.step("a topic created after the follower started", async () => {
    await withStreams(async ({ handler, store, follower, logs }) => {
      void follower([onOrders({ topic: "payments" })]).start();
      await soon(
        (async () => {
          while (!logs.some((l) => /topic "payments" does not exist/.test(l.msg))) {
            await new Promise((r) => setTimeout(r, 5));
          }
        })(),
        "the missing topic's log line",
      );
      const payments = createDurableStream({
        topic: "payments",
        schema: z.unknown(),
        url: STREAMS_URL,
        fetch: handler,
      });
      await payments.create();
      await payments.append({ id: "p-1" });
      deepEqual(ids(await deliveries(store, 1)), ["p-1"]);
    });
  });
});

Deno.test("when retention removed the messages at the cursor, the follower warns and goes on from what is kept", async () => {
  await withStreams(async ({ streams, orders, store, follower, logs }) => {
    await appendOrders(orders, 0, 2);
    const first = follower([onOrders()]);
    const running = first.start();
    await deliveries(store, 2);
    await first.stop();
    await running;

    await appendOrders(orders, 2, 3);
    await applyRetention(streams, { maxBytes: 1 });
    void follower([onOrders()]).start();
    await orders.append({ id: "o-5", total: 5 });
    const all = await deliveries(store, 3);
    deepEqual(ids(all), ["o-0", "o-1", "o-5"]);
    equal(all[2]!.key, `${encodeOffset(5)}#0`);
    ok(logs.some((l) => l.level === "warn" && /retention removed messages/.test(l.msg)));
  });
});
