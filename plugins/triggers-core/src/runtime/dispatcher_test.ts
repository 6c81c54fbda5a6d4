import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createSagaClient, defineSaga, type SagaStore } from "@netscript/plugin-sagas-core";
import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
import { createPostgresSagaStore } from "@netscript/plugin-sagas-core/postgres";
import { createJobClient, defineJob, type JobDefinition } from "@netscript/plugin-workers-core";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { z } from "zod";
import { createMemoryDeliveryStore } from "../adapters/memory/mod.ts";
import { type CronEvent, defineCron } from "../dsl/define_cron.ts";
import { defineWebhook, type WebhookEvent } from "../dsl/define_webhook.ts";
import type { DispatchFunction } from "../dsl/trigger_definition.ts";
import { type TriggerDefinition, triggersByName } from "../dsl/trigger_list.ts";
import type { DeliveryStore } from "../ports/delivery_store.ts";
import { sleep, soon } from "../testing/_fixtures.ts";
import { unverified } from "../webhooks/unverified.ts";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "./dispatcher.ts";

const greet = defineJob({ name: "greet", input: z.object({ who: z.string() }), handler: () => {} });
const unlisted = defineJob({ name: "unlisted", input: z.object({}), handler: () => {} });
const refund = defineSaga({
  name: "refund-order",
  input: z.object({ orderId: z.string() }),
  run: () => {},
});

/** A webhook trigger named `name` whose dispatch is `dispatch`. */
function hook(name: string, dispatch: DispatchFunction<WebhookEvent, JobDefinition>) {
  return defineWebhook({ name, verify: unverified(), dispatch });
}

interface Harness {
  readonly store: DeliveryStore;
  readonly queue: MemoryJobQueue;
  /** The saga store the dispatcher's `sagas` client starts sagas in. */
  readonly sagaStore: SagaStore;
  readonly logs: { level: LogLevel; line: string }[];
  dispatcher(options?: Partial<DispatcherOptions>): Dispatcher;
}

/** Runs `body` over a fresh memory delivery store and job queue, with `triggers`. */
async function withDispatcher(
  triggers: readonly TriggerDefinition[],
  body: (harness: Harness) => Promise<void>,
): Promise<void> {
  const store = createMemoryDeliveryStore();
  const queue = new MemoryJobQueue();
  const sagaStore = createMemorySagaStore();
  const sagas = createSagaClient({ store: sagaStore, sagas: [refund] });
  const logs: Harness["logs"] = [];
  const logger = createLogger({
    service: "test",
    sink: (line, level) => logs.push({ level, line }),
  });
  const jobs = createJobClient({ queue, jobs: [greet] });
  const byName = triggersByName(
    triggers.map((definition) => ({ file: `triggers/${definition.name}.ts`, definition })),
  );
  try {
    await body({
      store,
      queue,
      sagaStore,
      logs,
      dispatcher: (options = {}) =>
        createDispatcher({ store, triggers: byName, jobs, sagas, logger, ...options }),
    });
  } finally {
    await store.close();
    await sagaStore.close();
  }
}

const hello = hook("hello", (event) => ({ job: greet, input: { who: String(event.payload) } }));

Deno.test("the dispatcher starts a delivery's job with the delivery's once-key", async () => {
  await withDispatcher([hello], async ({ store, queue, dispatcher }) => {
    const { id } = await store.record({ trigger: "hello", source: "manual", payload: "Ada" });
    equal(await dispatcher().drain(), 1);
    const delivery = await store.get(id);
    equal(delivery?.state, "dispatched");
    equal(delivery?.attempts, 1);
    const [job] = (await queue.list()).items;
    deepEqual(delivery?.target, { kind: "job", name: "greet", id: job!.id });
    deepEqual(job!.input, { who: "Ada" });
    const again = await queue.enqueueOnce(`trigger-delivery:${id}`, { name: "greet", input: {} });
    deepEqual(again, { id: job!.id, deduplicated: true });
    equal(await dispatcher().drain(), 0);
  });
});

Deno.test("the dispatcher hands dispatch the delivery's event", async () => {
  const events: unknown[] = [];
  const pushes = hook("pushes", (event) => {
    events.push(event);
    return null;
  });
  const nightly = defineCron({
    name: "nightly",
    cron: "0 3 * * *",
    dispatch: (tick: CronEvent) => {
      events.push(tick);
      return null;
    },
  });
  await withDispatcher([pushes, nightly], async ({ store, dispatcher }) => {
    const pushed = await store.record({
      trigger: "pushes",
      source: "webhook",
      key: "d-1",
      payload: { after: "abc" },
      headers: { "x-github-event": "push" },
    });
    const ticked = await store.record({
      trigger: "nightly",
      source: "cron",
      key: "2026-01-01T03:00:00.000Z",
      payload: { scheduledAt: "2026-01-01T03:00:00.000Z" },
    });
    await dispatcher().drain();
    const [webhookEvent, cronEvent] = events as [WebhookEvent, CronEvent];
    const received = (await store.get(pushed.id))!.receivedAt;
    deepEqual(webhookEvent, {
      trigger: "pushes",
      deliveryId: pushed.id,
      receivedAt: received,
      source: "webhook",
      key: "d-1",
      payload: { after: "abc" },
      headers: { "x-github-event": "push" },
    });
    deepEqual(cronEvent, {
      trigger: "nightly",
      deliveryId: ticked.id,
      receivedAt: (await store.get(ticked.id))!.receivedAt,
      source: "cron",
      scheduledAt: new Date("2026-01-01T03:00:00.000Z"),
    });
  });
});

Deno.test("a delivery whose dispatch returns null is skipped and starts nothing", async () => {
  await withDispatcher([hook("quiet", () => null)], async ({ store, queue, dispatcher }) => {
    const { id } = await store.record({ trigger: "quiet", source: "manual", payload: {} });
    equal(await dispatcher().drain(), 1);
    equal((await store.get(id))?.state, "skipped");
    equal((await queue.list()).total, 0);
  });
});

Deno.test("a delivery re-dispatched after its lease ran out starts its job once", async (t) => {
  await t.step("after a processor died between enqueueing and settling", async () => {
    await withDispatcher([hello], async ({ store, queue, dispatcher }) => {
      const { id } = await store.record({ trigger: "hello", source: "manual", payload: "Ada" });
      const [claimed] = await store.claim({ owner: "crashed", limit: 1, leaseMs: 20 });
      equal(claimed?.id, id);
      const jobs = createJobClient({ queue, jobs: [greet] });
      const first = await jobs.enqueue(greet, { who: "Ada" }, {
        onceKey: `trigger-delivery:${id}`,
      });
      await sleep(40);
      equal(await dispatcher().drain(), 1);
      const delivery = await store.get(id);
      equal(delivery?.state, "dispatched");
      equal(delivery?.attempts, 2);
      equal(delivery?.target?.id, first.id);
      equal((await queue.list()).total, 1);
    });
  });
  await t.step(
    "when a slow dispatch outlives its lease and another processor takes over",
    async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => release = resolve);
      let entered!: () => void;
      const slowStarted = new Promise<void>((resolve) => entered = resolve);
      let calls = 0;
      const slow = hook("slow", async () => {
        if (calls++ === 0) {
          entered();
          await released;
        }
        return { job: greet, input: { who: "Ada" } };
      });
      await withDispatcher([slow], async ({ store, queue, logs, dispatcher }) => {
        const { id } = await store.record({ trigger: "slow", source: "manual", payload: {} });
        const first = dispatcher({ owner: "first", leaseMs: 20 }).drain();
        await slowStarted;
        await sleep(40);
        equal(await dispatcher({ owner: "second" }).drain(), 1);
        release();
        equal(await first, 1);
        const delivery = await store.get(id);
        equal(delivery?.state, "dispatched");
        const jobs = (await queue.list()).items;
        equal(jobs.length, 1);
        equal(delivery?.target?.id, jobs[0]!.id);
        ok(logs.some(({ level, line }) => level === "warn" && line.includes("settled elsewhere")));
      });
    },
  );
});

Deno.test("a dispatch that throws is retried with back-off, then failed after maxAttempts", async () => {
  const flaky = hook("flaky", () => {
    throw new Error("the API is down");
  });
  await withDispatcher([flaky], async ({ store, dispatcher }) => {
    const processor = dispatcher();
    const { id } = await store.record({ trigger: "flaky", source: "manual", payload: {} });
    const before = Date.now();
    equal(await processor.drain(), 1);
    const retried = await store.get(id);
    equal(retried?.state, "pending");
    equal(retried?.attempts, 1);
    equal(retried?.error, "the API is down");
    ok(retried!.runAt.getTime() >= before + 1_000, retried!.runAt.toISOString());
    equal(await processor.drain(), 0, "the back-off holds the retry");

    processor.configure({ maxAttempts: 1 });
    const last = await store.record({ trigger: "flaky", source: "manual", payload: {} });
    equal(await processor.drain(), 1);
    const failed = await store.get(last.id);
    equal(failed?.state, "failed");
    equal(failed?.error, "after 1 attempts: the API is down");
  });
});

Deno.test("a dispatch the job refuses fails at once, with the reason", async (t) => {
  const invalid = hook("invalid", () => ({ job: greet, input: { who: 42 } as never }));
  const unknown = hook("unknown", () => ({ job: unlisted, input: {} }));
  const garbage = hook("garbage", () => ({ input: {} }) as never);
  const both = hook("both", () => ({ job: greet, saga: refund, input: {} }) as never);
  const triggers = [invalid, unknown, garbage, both];
  await withDispatcher(triggers, async ({ store, queue, dispatcher }) => {
    const failedWith = async (trigger: string, reason: RegExp) => {
      const { id } = await store.record({ trigger, source: "manual", payload: {} });
      equal(await dispatcher({ maxAttempts: 5 }).drain(), 1);
      const delivery = await store.get(id);
      equal(delivery?.state, "failed", trigger);
      equal(delivery?.attempts, 1);
      match(delivery?.error ?? "", reason);
    };
    await t.step("an input the job's schema refuses, with its issues", async () => {
      await failedWith("invalid", /^Invalid input for job "greet": who .*expected string/);
    });
    await t.step("a job the client does not know", async () => {
      await failedWith("unknown", /No job named "unlisted"/);
    });
    await t.step("something that is not a job dispatch", async () => {
      await failedWith("garbage", /returned neither \{ job, input \}.*\{ saga, input \}/);
    });
    await t.step("a job and a saga at once", async () => {
      await failedWith("both", /returned both a job and a saga/);
    });
    await t.step("a delivery of a trigger that no longer exists", async () => {
      await failedWith("deleted", /no trigger named "deleted" exists/);
    });
    equal((await queue.list()).total, 0);
  });
});

Deno.test("start() wakes on a recorded delivery and dispatches it; stop() ends the loop", async () => {
  await withDispatcher([hello], async ({ store, queue, dispatcher }) => {
    const processor = dispatcher({ pollMs: 60_000 });
    const running = processor.start();
    await sleep(20);
    const { id } = await store.record({ trigger: "hello", source: "manual", payload: "Ada" });
    await soon(
      (async () => {
        while ((await store.get(id))?.state !== "dispatched") await sleep(5);
      })(),
      "the dispatch",
    );
    equal((await queue.list()).total, 1);
    await soon(processor.stop(), "stop()");
    await running;
  });
});

const refunds = hook("refunds", (event) => ({ saga: refund, input: event.payload as never }));

Deno.test("the dispatcher starts a delivery's saga with the id trigger-delivery-<deliveryId>", async () => {
  await withDispatcher([refunds], async ({ store, sagaStore, queue, logs, dispatcher }) => {
    const { id } = await store.record({
      trigger: "refunds",
      source: "manual",
      payload: { orderId: "o-1" },
    });
    equal(await dispatcher().drain(), 1);
    const delivery = await store.get(id);
    equal(delivery?.state, "dispatched");
    deepEqual(delivery?.target, {
      kind: "saga",
      name: "refund-order",
      id: `trigger-delivery-${id}`,
    });
    const saga = await sagaStore.get(`trigger-delivery-${id}`);
    equal(saga?.saga.name, "refund-order");
    equal(saga?.saga.input, JSON.stringify({ orderId: "o-1" }));
    equal((await queue.list()).total, 0, "no job was started");
    ok(logs.some(({ line }) => line.includes("delivery dispatched") && line.includes("sagaId")));
  });
});

Deno.test("a delivery re-dispatched after a crash between its saga's start and its settle starts the saga once", async () => {
  await withDispatcher([refunds], async ({ store, sagaStore, dispatcher }) => {
    const { id } = await store.record({
      trigger: "refunds",
      source: "manual",
      payload: { orderId: "o-2" },
    });
    const [claimed] = await store.claim({ owner: "crashed", limit: 1, leaseMs: 20 });
    equal(claimed?.id, id);
    const first = await createSagaClient({ store: sagaStore, sagas: [refund] })
      .start(refund, { orderId: "o-2" }, { id: `trigger-delivery-${id}` });
    equal(first.created, true);
    await sleep(40);
    equal(await dispatcher().drain(), 1);
    const delivery = await store.get(id);
    equal(delivery?.state, "dispatched");
    equal(delivery?.attempts, 2);
    equal(delivery?.target?.id, first.id);
    equal(
      (await sagaStore.list()).total,
      1,
      "the retry found the saga the crashed attempt started",
    );
  });
});

Deno.test("a saga dispatch the saga client refuses, or no saga client, fails at once", async (t) => {
  const invalid = hook("invalid", () => ({ saga: refund, input: { orderId: 7 } as never }));
  await withDispatcher([invalid, refunds], async ({ store, sagaStore, dispatcher }) => {
    const failedWith = async (
      trigger: string,
      options: Parameters<typeof dispatcher>[0],
      reason: RegExp,
    ) => {
      const { id } = await store.record({ trigger, source: "manual", payload: { orderId: "o" } });
      equal(await dispatcher({ maxAttempts: 5, ...options }).drain(), 1);
      const delivery = await store.get(id);
      equal(delivery?.state, "failed", trigger);
      equal(delivery?.attempts, 1);
      match(delivery?.error ?? "", reason);
    };
    await t.step("an input the saga's schema refuses, with its issues", async () => {
      await failedWith(
        "invalid",
        {},
        /^The input of saga "refund-order" does not match its schema: orderId .*expected string/,
      );
    });
    await t.step("a saga id taken by a saga of another name", async () => {
      const { id } = await store.record({
        trigger: "refunds",
        source: "manual",
        payload: { orderId: "o" },
      });
      const other = defineSaga({ name: "other", input: z.unknown(), run: () => {} });
      await createSagaClient({ store: sagaStore, sagas: [other] })
        .start(other, {}, { id: `trigger-delivery-${id}` });
      await dispatcher().drain();
      const delivery = await store.get(id);
      equal(delivery?.state, "failed");
      match(delivery?.error ?? "", /is taken by a saga of "other"/);
    });
    await t.step("no saga client: install the sagas plugin", async () => {
      await failedWith(
        "refunds",
        { sagas: undefined },
        /^Cannot start saga "refund-order" for trigger "refunds": .*netscript plugin add sagas/,
      );
    });
    equal((await sagaStore.list()).total, 1, "only the conflicting saga was started");
  });
});

Deno.test("a saga dispatch whose saga store is unreachable is retried", async () => {
  const unreachable = createPostgresSagaStore({ url: "postgres://postgres@127.0.0.1:1/none" });
  try {
    await withDispatcher([refunds], async ({ store, dispatcher }) => {
      const sagas = createSagaClient({ store: unreachable, sagas: [refund] });
      const { id } = await store.record({
        trigger: "refunds",
        source: "manual",
        payload: { orderId: "o-3" },
      });
      equal(await dispatcher({ sagas }).drain(), 1);
      const delivery = await store.get(id);
      equal(delivery?.state, "pending", delivery?.error ?? "");
      equal(delivery?.attempts, 1);
      ok(delivery?.error !== null);
    });
  } finally {
    await unreachable.close();
  }
});
