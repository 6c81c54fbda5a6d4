import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { createJobClient, defineJob } from "@netscript/plugin-workers-core";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { defineSaga } from "../dsl/define_saga.ts";
import { createMemorySagaStore } from "../adapters/memory/mod.ts";
import type { SagaCommit, SagaStore } from "../ports/saga_store.ts";
import { createSagaClient } from "./saga_client.ts";
import { createSagaRunner } from "./saga_runner.ts";

const quiet = createLogger({ service: "sagas-test", sink: () => {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A runner that drains with its own owner id, on a store shared by several. */
function runnerOf(
  store: SagaStore,
  sagas: Parameters<typeof createSagaRunner>[0]["sagas"],
  more = {},
) {
  return createSagaRunner({ store, sagas, logger: quiet, leaseMs: 200, pollMs: 20, ...more });
}

/** A store whose commits fail from the `failAt`-th one on, as a process dying would. */
function dyingStore(store: SagaStore, failAt: number): SagaStore & { commits: number } {
  const wrapper: SagaStore & { commits: number } = {
    commits: 0,
    start: (saga) => store.start(saga),
    claim: (options) => store.claim(options),
    commit(id: string, owner: string, commit: SagaCommit) {
      wrapper.commits++;
      if (wrapper.commits >= failAt) return Promise.reject(new Error("the process died"));
      return store.commit(id, owner, commit);
    },
    heartbeat: (owner, ids, leaseMs) => store.heartbeat(owner, ids, leaseMs),
    get: (id) => store.get(id),
    list: (options) => store.list(options),
    stats: () => store.stats(),
    cancel: (id) => store.cancel(id),
    signal: (id, name, payload) => store.signal(id, name, payload),
    retry: (id) => store.retry(id),
    waitForWork: (timeoutMs, signal) => store.waitForWork(timeoutMs, signal),
    watchStates: (watched) => store.watchStates(watched),
    readStateEvents: (limit) => store.readStateEvents(limit),
    removeStateEvents: (ids) => store.removeStateEvents(ids),
    close: () => store.close(),
  };
  return wrapper;
}

Deno.test("a saga's steps run once each and its output is recorded", async () => {
  const calls: string[] = [];
  const order = defineSaga({
    name: "order",
    input: z.object({ id: z.string() }),
    async run({ id }, ctx) {
      const a = await ctx.step("reserve", () => (calls.push("reserve"), { reserved: id }));
      const b = await ctx.step("charge", () => (calls.push("charge"), 42));
      return { ...a, charged: b };
    },
  });
  const store = createMemorySagaStore();
  const started = await createSagaClient({ store, sagas: [order] }).start(order, { id: "o-1" });
  deepEqual(await runnerOf(store, [order]).drain(), ["completed"]);
  const detail = (await store.get(started.id))!;
  equal(detail.saga.state, "completed");
  deepEqual(JSON.parse(detail.saga.output!), { reserved: "o-1", charged: 42 });
  deepEqual(detail.entries.map((e) => [e.kind, e.name, e.state, e.attempts]), [
    ["step", "reserve", "completed", 1],
    ["step", "charge", "completed", 1],
  ]);
  deepEqual(calls, ["reserve", "charge"]);
  await store.close();
});

Deno.test("a runner that dies after a step resumes on another runner without running it again", async () => {
  const calls: string[] = [];
  const steps = ["one", "two", "three", "four"];
  const saga = defineSaga({
    name: "four-steps",
    input: z.object({}),
    async run(_input, ctx) {
      for (const step of steps) await ctx.step(step, () => (calls.push(step), step));
      return "done";
    },
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [saga] }).start(saga, {});
  const dying = dyingStore(store, 3);
  deepEqual(await runnerOf(dying, [saga]).drain(), []);
  deepEqual(calls, ["one", "two", "three"]);
  await sleep(250);
  deepEqual(await runnerOf(store, [saga]).drain(), ["completed"]);
  deepEqual(calls, ["one", "two", "three", "three", "four"]);
  equal((await store.get(id))!.saga.state, "completed");
  await store.close();
});

Deno.test("a failed attempt is retried from the journal until it succeeds", async () => {
  let attempts = 0;
  const saga = defineSaga({
    name: "flaky",
    input: z.object({}),
    retry: { attempts: 3, delay: 0 },
    run: (_input, ctx) =>
      ctx.step("call", ({ attempt }) => {
        attempts++;
        if (attempt < 3) throw new Error(`boom ${attempt}`);
        return attempt;
      }),
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [saga] }).start(saga, {});
  const ends = await runnerOf(store, [saga]).drain();
  deepEqual(ends, ["retrying", "retrying", "completed"]);
  equal(attempts, 3);
  const [entry] = (await store.get(id))!.entries;
  deepEqual([entry!.state, entry!.attempts, entry!.result], ["completed", 3, "3"]);
  await store.close();
});

Deno.test("a step that keeps failing compensates the finished steps, last first, once each", async () => {
  const undone: string[] = [];
  const saga = defineSaga({
    name: "book-trip",
    input: z.object({}),
    retry: { attempts: 2, delay: 0 },
    async run(_input, ctx) {
      await ctx.step("flight", () => "F1", { compensate: (f) => void undone.push(`cancel ${f}`) });
      await ctx.step("note", () => "no compensation");
      await ctx.step("hotel", () => "H1", { compensate: (h) => void undone.push(`cancel ${h}`) });
      await ctx.step("car", () => {
        throw new Error("no cars left");
      });
    },
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [saga] }).start(saga, {});
  deepEqual(await runnerOf(store, [saga]).drain(), ["retrying", "compensated"]);
  deepEqual(undone, ["cancel H1", "cancel F1"]);
  const detail = (await store.get(id))!;
  equal(detail.saga.state, "compensated");
  match(detail.saga.error!, /Step "car" failed after 2 attempt\(s\): no cars left/);
  deepEqual(
    detail.entries.filter((e) => e.kind === "compensation").map((e) => [e.name, e.state]),
    [["hotel", "completed"], ["flight", "completed"]],
  );
  await store.close();
});

Deno.test("a compensation that keeps failing leaves the saga failed; a retry resumes compensation", async () => {
  const undone: string[] = [];
  let refundWorks = false;
  const saga = defineSaga({
    name: "pay",
    input: z.object({}),
    retry: { attempts: 1 },
    async run(_input, ctx) {
      await ctx.step("reserve", () => "R", { compensate: () => void undone.push("release") });
      await ctx.step("charge", () => "C", {
        compensate: () => {
          if (!refundWorks) throw new Error("refund API down");
          undone.push("refund");
        },
      });
      await ctx.step("ship", () => {
        throw new Error("warehouse closed");
      });
    },
  });
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [saga] });
  const { id } = await sagas.start(saga, {});
  deepEqual(await runnerOf(store, [saga]).drain(), ["failed"]);
  let detail = (await store.get(id))!;
  equal(detail.saga.state, "failed");
  match(
    detail.saga.error!,
    /compensation of step "charge" failed after 1 attempt\(s\): refund API down/,
  );
  deepEqual(undone, []);
  refundWorks = true;
  await sagas.retry(id);
  deepEqual(await runnerOf(store, [saga]).drain(), ["compensated"]);
  deepEqual(undone, ["refund", "release"]);
  detail = (await store.get(id))!;
  deepEqual(
    detail.entries.filter((e) => e.kind === "compensation").map((
      e,
    ) => [e.name, e.state, e.attempts]),
    [["charge", "completed", 2], ["reserve", "completed", 1]],
  );
  await rejects(sagas.retry(id), { code: "SAGAS_NOT_RETRYABLE" });
  await store.close();
});

Deno.test("sleeps and signals leave memory and resume on a later claim with the same recorded values", async () => {
  const saga = defineSaga({
    name: "approve",
    input: z.object({}),
    async run(_input, ctx) {
      const token = ctx.uuid();
      const at = ctx.now();
      await ctx.sleep("cool-off", 30);
      const decision = await ctx.waitForSignal("decision", {
        schema: z.object({ approved: z.boolean() }),
      });
      return { token, at: at.toISOString(), ...decision };
    },
  });
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [saga] });
  const { id } = await sagas.start(saga, {});
  const runner = runnerOf(store, [saga]);
  deepEqual(await runner.drain(), ["waiting"]);
  const asleep = (await store.get(id))!;
  equal(asleep.saga.state, "waiting");
  const [token, at] = asleep.entries.filter((e) => e.kind === "value").map((e) =>
    JSON.parse(e.result!)
  );
  await sleep(40);
  deepEqual(await runner.drain(), ["waiting"]);
  equal((await store.get(id))!.saga.runAt, null);
  await sagas.signal(id, "decision", { approved: true });
  deepEqual(await runner.drain(), ["completed"]);
  const done = (await store.get(id))!;
  deepEqual(JSON.parse(done.saga.output!), { token, at, approved: true });
  deepEqual(done.entries.map((e) => [e.kind, e.state]), [
    ["value", "completed"],
    ["value", "completed"],
    ["sleep", "completed"],
    ["signal", "completed"],
  ]);
  await store.close();
});

Deno.test("a signal sent before the wait is kept for it; a bad payload and a timeout throw into run", async () => {
  const saga = defineSaga({
    name: "signals",
    input: z.object({}),
    async run(_input, ctx) {
      const early = await ctx.waitForSignal("early");
      const errors: string[] = [];
      try {
        await ctx.waitForSignal("typed", { schema: z.object({ n: z.number() }) });
      } catch (error) {
        errors.push((error as { code: string }).code);
      }
      try {
        await ctx.waitForSignal("never", { timeout: 20 });
      } catch (error) {
        errors.push((error as { code: string }).code);
      }
      return { early, errors };
    },
  });
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [saga] });
  const { id } = await sagas.start(saga, {});
  await sagas.signal(id, "early", "hi");
  await sagas.signal(id, "typed", { n: "not a number" });
  const runner = runnerOf(store, [saga]);
  deepEqual(await runner.drain(), ["waiting"]);
  await sleep(30);
  deepEqual(await runner.drain(), ["completed"]);
  deepEqual(JSON.parse((await store.get(id))!.saga.output!), {
    early: "hi",
    errors: ["SAGAS_INVALID_SIGNAL", "SAGAS_SIGNAL_TIMEOUT"],
  });
  await rejects(sagas.signal(id, "late"), { code: "SAGAS_FINISHED" });
  await rejects(sagas.signal("nope", "late"), { code: "SAGAS_NOT_FOUND" });
  await store.close();
});

Deno.test("a cancel while waiting compensates what finished and ends cancelled", async () => {
  const undone: string[] = [];
  const saga = defineSaga({
    name: "cancellable",
    input: z.object({}),
    async run(_input, ctx) {
      await ctx.step("hold", () => "seat", { compensate: (s) => void undone.push(s) });
      await ctx.waitForSignal("pay");
    },
  });
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [saga] });
  const { id } = await sagas.start(saga, {});
  const runner = runnerOf(store, [saga]);
  deepEqual(await runner.drain(), ["waiting"]);
  equal((await sagas.cancel(id)).cancelRequested, true);
  deepEqual(await runner.drain(), ["cancelled"]);
  deepEqual(undone, ["seat"]);
  equal((await store.get(id))!.saga.state, "cancelled");
  await store.close();
});

Deno.test("a cancel during a step aborts its signal and compensates the steps that finished", async () => {
  const undone: string[] = [];
  let entered!: () => void;
  const inStep = new Promise<void>((resolve) => (entered = resolve));
  const saga = defineSaga({
    name: "long-step",
    input: z.object({}),
    retry: { attempts: 5, delay: 0 },
    async run(_input, ctx) {
      await ctx.step("first", () => "one", { compensate: (r) => void undone.push(r) });
      await ctx.step("slow", ({ signal }) =>
        new Promise((_resolve, reject) => {
          entered();
          signal.addEventListener("abort", () => reject(signal.reason));
        }));
    },
  });
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [saga] });
  const { id } = await sagas.start(saga, {});
  const runner = runnerOf(store, [saga], { leaseMs: 150 });
  const draining = runner.drain();
  await inStep;
  await sagas.cancel(id);
  deepEqual(await draining, ["cancelled"]);
  deepEqual(undone, ["one"]);
  const slow = (await store.get(id))!.entries.find((e) => e.name === "slow")!;
  deepEqual([slow.state, slow.attempts], ["failed", 1]);
  await store.close();
});

Deno.test("code that diverges from the journal fails the saga without compensating", async () => {
  const undone: string[] = [];
  const first = defineSaga({
    name: "diverge",
    input: z.object({}),
    async run(_input, ctx) {
      await ctx.step("a", () => 1, { compensate: () => void undone.push("a") });
      await ctx.waitForSignal("go");
    },
  });
  const changed = defineSaga({
    name: "diverge",
    input: z.object({}),
    async run(_input, ctx) {
      await ctx.step("renamed", () => 1, { compensate: () => void undone.push("renamed") });
      await ctx.waitForSignal("go");
    },
  });
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [first] });
  const { id } = await sagas.start(first, {});
  deepEqual(await runnerOf(store, [first]).drain(), ["waiting"]);
  await sagas.signal(id, "go");
  deepEqual(await runnerOf(store, [changed]).drain(), ["failed"]);
  const detail = (await store.get(id))!;
  match(
    detail.saga.error!,
    /diverged from its journal at position 0: the journal records step "a", the code asked for step "renamed"/,
  );
  deepEqual(undone, []);
  await sagas.retry(id);
  deepEqual(await runnerOf(store, [first]).drain(), ["completed"]);
  await store.close();
});

Deno.test("a saga runs on the version it started with, and fails loudly once that version is gone", async () => {
  const v1 = defineSaga({ name: "versioned", input: z.object({}), run: () => "v1" });
  const v2 = defineSaga({ name: "versioned", version: 2, input: z.object({}), run: () => "v2" });
  const store = createMemorySagaStore();
  const old = await createSagaClient({ store, sagas: [v1] }).start("versioned", {});
  const fresh = await createSagaClient({ store, sagas: [v1, v2] }).start("versioned", {});
  deepEqual((await runnerOf(store, [v2]).drain()).sort(), ["completed", "failed"]);
  equal((await store.get(fresh.id))!.saga.output, '"v2"');
  const gone = (await store.get(old.id))!.saga;
  equal(gone.state, "failed");
  match(
    gone.error!,
    /started on version 1 of "versioned", which the workspace no longer has \(it has version 2\)/,
  );
  await createSagaClient({ store, sagas: [v1] }).retry(old.id);
  deepEqual(await runnerOf(store, [v1, v2]).drain(), ["completed"]);
  equal((await store.get(old.id))!.saga.output, '"v1"');
  await store.close();
});

Deno.test("ctx.enqueue starts its job once, also when the saga replays after a crash", async () => {
  const queue = new MemoryJobQueue();
  const email = defineJob({
    name: "email",
    input: z.object({ to: z.string() }),
    handler: () => {},
  });
  const jobs = createJobClient({ queue, jobs: [email] });
  const saga = defineSaga({
    name: "welcome",
    input: z.object({ to: z.string() }),
    async run({ to }, ctx) {
      const job = await ctx.enqueue(email, { to });
      await ctx.step("after", () => "ok");
      return job.id;
    },
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [saga] }).start(saga, { to: "a@b.c" });
  deepEqual(await runnerOf(dyingStore(store, 1), [saga], { jobs }).drain(), []);
  await sleep(250);
  deepEqual(await runnerOf(store, [saga], { jobs }).drain(), ["completed"]);
  const page = await queue.list();
  equal(page.total, 1);
  equal(JSON.parse((await store.get(id))!.saga.output!), page.items[0]!.id);
  await queue.close();
  await store.close();
});

Deno.test("ctx.startSaga starts its child once, with an id derived from the parent", async () => {
  const child = defineSaga({
    name: "child",
    input: z.object({ n: z.number() }),
    run: ({ n }) => n * 2,
  });
  const parent = defineSaga({
    name: "parent",
    input: z.object({}),
    run: async (_input, ctx) => (await ctx.startSaga(child, { n: 21 })).id,
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [parent, child] }).start(parent, {}, {
    id: "p-1",
  });
  deepEqual((await runnerOf(store, [parent, child]).drain()).sort(), ["completed", "completed"]);
  equal(JSON.parse((await store.get(id))!.saga.output!), "p-1.0");
  const kid = (await store.get("p-1.0"))!.saga;
  deepEqual([kid.state, kid.parentId, kid.output], ["completed", "p-1", "42"]);
  await store.close();
});

Deno.test("calling ctx while another call runs fails the saga as nondeterministic", async () => {
  const saga = defineSaga({
    name: "parallel",
    input: z.object({}),
    run: (_input, ctx) => Promise.all([ctx.step("a", () => 1), ctx.step("b", () => 2)]),
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [saga] }).start(saga, {});
  deepEqual(await runnerOf(store, [saga]).drain(), ["failed"]);
  match((await store.get(id))!.saga.error!, /called ctx while another ctx call was running/);
  await store.close();
});

Deno.test("a signal or a cancel that arrives while the saga runs wakes it once it waits", async () => {
  const store = createMemorySagaStore();
  const client: { sagas?: ReturnType<typeof createSagaClient> } = {};
  const saga = defineSaga({
    name: "racing",
    input: z.object({ cancel: z.boolean() }),
    async run({ cancel }, ctx) {
      await ctx.step("meanwhile", async () => {
        if (cancel) await client.sagas!.cancel(ctx.id);
        else await client.sagas!.signal(ctx.id, "go", "early");
      });
      return await ctx.waitForSignal("go");
    },
  });
  const sagas = client.sagas = createSagaClient({ store, sagas: [saga] });
  const signalled = await sagas.start(saga, { cancel: false });
  const cancelled = await sagas.start(saga, { cancel: true });
  const ends = await runnerOf(store, [saga]).drain();
  deepEqual(ends.sort(), ["cancelled", "completed", "waiting", "waiting"]);
  equal((await store.get(signalled.id))!.saga.output, '"early"');
  equal((await store.get(cancelled.id))!.saga.state, "cancelled");
  await store.close();
});

Deno.test("a step's key stays the same across attempts; its compensation has its own", async () => {
  const keys: string[] = [];
  const saga = defineSaga({
    name: "keyed",
    input: z.object({}),
    retry: { attempts: 2, delay: 0 },
    async run(_input, ctx) {
      ctx.uuid();
      await ctx.step("charge", ({ key, attempt }) => {
        keys.push(key);
        if (attempt === 1) throw new Error("flaky");
        return "paid";
      }, { compensate: (_paid, { key }) => void keys.push(key) });
      await ctx.step("ship", () => {
        throw new Error("no stock");
      });
    },
  });
  const store = createMemorySagaStore();
  await createSagaClient({ store, sagas: [saga] }).start(saga, {}, { id: "order-1" });
  deepEqual(await runnerOf(store, [saga]).drain(), ["retrying", "retrying", "compensated"]);
  deepEqual(keys, ["order-1:1", "order-1:1", "order-1:1:compensate"]);
  await store.close();
});
