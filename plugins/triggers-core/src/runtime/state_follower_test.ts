import { deepEqual, equal, ok } from "node:assert/strict";
import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import type { SagaStore } from "@netscript/plugin-sagas-core";
import type { StateEventLog } from "@netscript/store";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { createMemoryDeliveryStore } from "../adapters/memory/mod.ts";
import { defineEvent, type EventDefinition } from "../dsl/define_event.ts";
import type { DeliveryStore } from "../ports/delivery_store.ts";
import { soon } from "../testing/_fixtures.ts";
import { createStateFollower, type StateFollower, type WatchedStore } from "./state_follower.ts";

const died = defineEvent({
  name: "email-died",
  on: { job: "email", state: "dead" },
  dispatch: () => null,
});
const alsoDied = defineEvent({
  name: "email-died-audit",
  on: { job: "email", state: "dead" },
  dispatch: () => null,
});
const finished = defineEvent({
  name: "checkout-done",
  on: { saga: "checkout", state: "completed" },
  dispatch: () => null,
});

/** The job store as the processor gives it to the follower, over `log` when given. */
function jobSource(queue: MemoryJobQueue, log: StateEventLog = queue): WatchedStore {
  return {
    kind: "job",
    log,
    snapshot: async (id) => {
      const job = await queue.get(id);
      return job === null ? null : { input: job.input, output: null };
    },
  };
}

/** The saga store as the processor gives it to the follower. */
function sagaSource(store: SagaStore): WatchedStore {
  return {
    kind: "saga",
    log: store,
    snapshot: async (id) => {
      const detail = await store.get(id);
      if (detail === null) return null;
      const { input, output } = detail.saga;
      return { input: JSON.parse(input), output: output === null ? null : JSON.parse(output) };
    },
  };
}

/** Runs a follower until the body ends, collecting its log lines. */
async function following(
  options: {
    events: readonly EventDefinition[];
    sources: readonly WatchedStore[];
    store: DeliveryStore;
  },
  body: (logs: { level: LogLevel; msg: string }[]) => Promise<void>,
): Promise<void> {
  const logs: { level: LogLevel; msg: string }[] = [];
  const follower: StateFollower = createStateFollower({
    ...options,
    logger: createLogger({
      service: "test",
      level: "debug",
      sink: (line, level) => logs.push({ level, msg: JSON.parse(line).msg }),
    }),
    pollMs: 5,
    retryDelayMs: 5,
  });
  const running = follower.start();
  try {
    await body(logs);
  } finally {
    await follower.stop();
    await running;
  }
}

/** Adds a job of `name` and has it die with `error`. */
async function kill(queue: MemoryJobQueue, name: string, error: string): Promise<string> {
  const { id } = await queue.enqueue({ name, input: { to: "a@example.com" } });
  await queue.claim({ workerId: "w", limit: 10, leaseMs: 60_000, names: [name] });
  ok(await queue.fail(id, "w", error, null));
  return id;
}

/** Resolves once the store holds `count` deliveries. */
async function deliveries(store: DeliveryStore, count: number) {
  return await soon(
    (async () => {
      for (;;) {
        const page = await store.list({ limit: 100 });
        if (page.total >= count) return page.items;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })(),
    `${count} deliveries`,
  );
}

Deno.test("a job reaching a watched state becomes one delivery per trigger, with the change", async () => {
  const queue = new MemoryJobQueue();
  const store = createMemoryDeliveryStore();
  await following({ events: [died, alsoDied], sources: [jobSource(queue)], store }, async () => {
    const other = await queue.enqueue({ name: "report", input: null });
    ok(await queue.cancel(other.id));
    const id = await kill(queue, "email", "mailbox full");
    const items = await deliveries(store, 2);
    deepEqual(items.map((item) => item.trigger).sort(), ["email-died", "email-died-audit"]);
    for (const item of items) {
      equal(item.source, "event");
      equal(item.state, "pending");
      const payload = item.payload as Record<string, unknown>;
      deepEqual({ ...payload, at: undefined }, {
        kind: "job",
        id,
        name: "email",
        state: "dead",
        error: "mailbox full",
        at: undefined,
        input: { to: "a@example.com" },
        output: null,
      });
      ok(!Number.isNaN(Date.parse(payload.at as string)));
    }
    await soon(
      (async () => {
        while ((await queue.readStateEvents(10)).length > 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })(),
      "the event's removal",
    );
  });
});

Deno.test("an event read again after a crash before its removal is recorded once", async () => {
  const queue = new MemoryJobQueue();
  const store = createMemoryDeliveryStore();
  let removals = 0;
  const flaky: StateEventLog = {
    watchStates: (watched) => queue.watchStates(watched),
    readStateEvents: (limit) => queue.readStateEvents(limit),
    removeStateEvents: (ids) => {
      if (++removals === 1) return Promise.reject(new Error("connection reset"));
      return queue.removeStateEvents(ids);
    },
  };
  await following({ events: [died], sources: [jobSource(queue, flaky)], store }, async (logs) => {
    await kill(queue, "email", "bounced");
    await soon(
      (async () => {
        while (removals < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      })(),
      "the second removal",
    );
    equal((await store.list()).total, 1, "the second reading is a duplicate");
    deepEqual(await queue.readStateEvents(10), []);
    ok(logs.some((line) => line.level === "error" && /retrying/.test(line.msg)));
  });
});

Deno.test("a saga's completion carries its input and output", async () => {
  const sagas = createMemorySagaStore();
  const store = createMemoryDeliveryStore();
  await following({ events: [finished], sources: [sagaSource(sagas)], store }, async () => {
    await soon(
      (async () => {
        // The follower watches once it has started; a saga that ends before is not recorded.
        while ((await store.list()).total === 0) {
          const id = crypto.randomUUID();
          await sagas.start({ id, name: "checkout", version: 1, input: '{"order":"o-1"}' });
          await sagas.claim({ owner: "r", limit: 1, leaseMs: 60_000, names: ["checkout"] });
          await sagas.commit(id, "r", { progress: { state: "completed", output: '{"paid":42}' } });
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })(),
      "the saga's delivery",
    );
    const [item] = (await store.list()).items;
    const payload = item!.payload as Record<string, unknown>;
    equal(payload.kind, "saga");
    equal(payload.state, "completed");
    equal(payload.error, null);
    deepEqual(payload.input, { order: "o-1" });
    deepEqual(payload.output, { paid: 42 });
  });
  await sagas.close();
});

Deno.test("a change of a job that is gone by then carries no input", async () => {
  const queue = new MemoryJobQueue();
  const store = createMemoryDeliveryStore();
  await queue.watchStates([{ name: "email", state: "dead" }]);
  const id = await kill(queue, "email", "x");
  const source = jobSource(queue);
  const gone: WatchedStore = { ...source, snapshot: () => Promise.resolve(null) };
  await following({ events: [died], sources: [gone], store }, async () => {
    const [item] = await deliveries(store, 1);
    equal((item!.payload as { id: string }).id, id);
    equal((item!.payload as { input: unknown }).input, null);
  });
});

Deno.test("without triggers on a store, it stops recording and drops what is left", async () => {
  const queue = new MemoryJobQueue();
  const store = createMemoryDeliveryStore();
  await queue.watchStates([{ name: "email", state: "dead" }]);
  await kill(queue, "email", "left from a removed trigger");
  await following({ events: [finished], sources: [jobSource(queue)], store }, async () => {
    await soon(
      (async () => {
        while ((await queue.readStateEvents(10)).length > 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })(),
      "the leftover event's removal",
    );
    await kill(queue, "email", "no longer watched");
    deepEqual(await queue.readStateEvents(10), []);
    equal((await store.list()).total, 0);
  });
});

Deno.test("a store that fails is retried, and the changes it kept are recorded", async () => {
  const queue = new MemoryJobQueue();
  const store = createMemoryDeliveryStore();
  let reads = 0;
  const down: StateEventLog = {
    watchStates: (watched) => queue.watchStates(watched),
    readStateEvents: (limit) => {
      if (++reads <= 3) return Promise.reject(new Error("store unreachable"));
      return queue.readStateEvents(limit);
    },
    removeStateEvents: (ids) => queue.removeStateEvents(ids),
  };
  await following({ events: [died], sources: [jobSource(queue, down)], store }, async (logs) => {
    await kill(queue, "email", "x");
    await deliveries(store, 1);
    equal(logs.filter((line) => line.level === "error").length, 3);
  });
});

Deno.test("a change no store can keep is recorded rejected and holds up nothing", async () => {
  const queue = new MemoryJobQueue();
  const store = createMemoryDeliveryStore();
  const source = jobSource(queue);
  let first = true;
  const unstorable: WatchedStore = {
    ...source,
    snapshot: (id) => {
      if (!first) return source.snapshot(id);
      first = false;
      return Promise.resolve({ input: { note: "a\u0000b" }, output: null });
    },
  };
  await following({ events: [died], sources: [unstorable], store }, async () => {
    await kill(queue, "email", "x");
    await kill(queue, "email", "y");
    const items = await deliveries(store, 2);
    const states = items.map((item) => item.state).sort();
    deepEqual(states, ["pending", "rejected"]);
    const rejected = items.find((item) => item.state === "rejected")!;
    equal(rejected.payload, null);
    ok(rejected.error?.startsWith("the job's change cannot be stored"), rejected.error ?? "");
  });
});
