import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { createMemorySagaStore } from "../adapters/memory/mod.ts";
import { defineSaga } from "../dsl/define_saga.ts";
import type { SagaStore } from "../ports/saga_store.ts";
import { createSagaClient } from "./saga_client.ts";
import { createSagaRunner } from "./saga_runner.ts";

const quiet = createLogger({ service: "sagas-test", sink: () => {} });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const settled = async (store: SagaStore) => {
  const stats = await store.stats();
  return stats.running + stats.waiting + stats.compensating === 0;
};

Deno.test("three runners on one store run 60 sagas to their end, each step once", async () => {
  const calls = new Map<string, number>();
  const saga = defineSaga({
    name: "count",
    input: z.object({ n: z.number() }),
    async run({ n }, ctx) {
      for (const step of ["a", "b", "c"]) {
        await ctx.step(
          step,
          () => calls.set(`${n}:${step}`, (calls.get(`${n}:${step}`) ?? 0) + 1).size,
        );
      }
      await ctx.sleep("breathe", 5);
      return n;
    },
  });
  const store = createMemorySagaStore();
  const client = createSagaClient({ store, sagas: [saga] });
  const runners = [1, 2, 3].map(() =>
    createSagaRunner({ store, sagas: [saga], logger: quiet, concurrency: 4, pollMs: 10 })
  );
  const loops = runners.map((runner) => runner.start());
  for (let n = 0; n < 60; n++) await client.start(saga, { n });
  await until(() => settled(store), "every saga to finish");
  await Promise.all(runners.map((runner) => runner.stop()));
  await Promise.all(loops);
  equal((await store.stats()).completed, 60);
  equal(calls.size, 180);
  deepEqual([...new Set(calls.values())], [1]);
  await store.close();
});

Deno.test("stopping a runner aborts the running step and gives its saga back, runnable at once", async () => {
  let entered!: () => void;
  const inStep = new Promise<void>((resolve) => (entered = resolve));
  let attempts = 0;
  const saga = defineSaga({
    name: "slow",
    input: z.object({}),
    run: (_input, ctx) =>
      ctx.step("wait", ({ signal }) => {
        attempts++;
        if (attempts > 1) return "second runner";
        entered();
        return new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("stopping")))
        );
      }),
  });
  const store = createMemorySagaStore();
  const { id } = await createSagaClient({ store, sagas: [saga] }).start(saga, {});
  const first = createSagaRunner({ store, sagas: [saga], logger: quiet, pollMs: 10 });
  const loop = first.start();
  await inStep;
  equal(first.running, 1);
  await first.stop();
  await loop;
  const released = (await store.get(id))!;
  deepEqual([released.saga.state, released.saga.leaseOwner, released.entries.length], [
    "running",
    null,
    0,
  ]);
  const ends = await createSagaRunner({ store, sagas: [saga], logger: quiet }).drain();
  deepEqual(ends, ["completed"]);
  equal((await store.get(id))!.saga.output, '"second runner"');
  await store.close();
});

Deno.test("a runner starts once and refuses limits out of range", async () => {
  const store = createMemorySagaStore();
  const saga = defineSaga({ name: "noop", input: z.object({}), run: () => {} });
  throws(() => createSagaRunner({ store, sagas: [saga], concurrency: 0 }), RangeError);
  throws(() => createSagaRunner({ store, sagas: [saga], leaseMs: 10 }), RangeError);
  const runner = createSagaRunner({ store, sagas: [saga], logger: quiet });
  throws(() => runner.configure({ concurrency: 1_001 }), RangeError);
  runner.configure({ concurrency: 2 });
  const loop = runner.start();
  await rejects(runner.start(), { code: "SAGAS_ALREADY_STARTED" });
  await runner.stop();
  await loop;
  await store.close();
});

Deno.test("startSaga runs the saga in this runner at once, leased to it; without room it is claimed later", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const saga = defineSaga({
    name: "here",
    input: z.object({ wait: z.boolean() }),
    run: async ({ wait }, ctx) => {
      await ctx.step("work", async () => {
        if (wait) await gate;
        return "done";
      });
      return ctx.id;
    },
  });
  const store = createMemorySagaStore();
  const runner = createSagaRunner({ store, sagas: [saga], logger: quiet, concurrency: 1 });
  const before = await runner.startSaga(saga, { wait: false });
  equal((await store.get(before.id))!.saga.leaseOwner, null, "not started: a plain start");
  const loop = runner.start();
  const first = await runner.startSaga(saga, { wait: true }, { id: "first" });
  deepEqual([first.id, first.state, first.created], ["first", "running", true]);
  equal(before.run, undefined, "started before the runner: not run here");
  equal((await store.get("first"))!.saga.leaseOwner, runner.owner, "leased to this runner");
  const second = await runner.startSaga("here", { wait: false }, { id: "second" });
  equal((await store.get("second"))!.saga.leaseOwner, null, "no room: started for any runner");
  equal(second.run, undefined);
  deepEqual(await runner.startSaga(saga, { wait: true }, { id: "first" }), {
    id: "first",
    state: "running",
    created: false,
  });
  release();
  equal(await first.run, "completed");
  await until(async () => (await store.stats()).completed === 3, "the three sagas to complete");
  await runner.stop();
  await loop;
  await rejects(runner.startSaga("nope", {} as never), { code: "SAGAS_UNKNOWN_SAGA" });
  await store.close();
});

Deno.test("startSaga keeps to the runner's concurrency when starts arrive together", async () => {
  let inside = 0;
  let most = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const saga = defineSaga({
    name: "gated",
    input: z.object({ n: z.number() }),
    async run(_input, ctx) {
      await ctx.step("hold", async () => {
        most = Math.max(most, ++inside);
        await gate;
        inside--;
      });
    },
  });
  const store = createMemorySagaStore();
  const runner = createSagaRunner({ store, sagas: [saga], logger: quiet, concurrency: 2 });
  const loop = runner.start();
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, n) => runner.startSaga(saga, { n }, { id: `s-${n}` })),
  );
  equal(answers.filter((answer) => answer.run !== undefined).length, 2, "two run here at once");
  open();
  await until(() => settled(store), "every saga to finish");
  equal(most, 2, "never more than the concurrency at once");
  equal((await store.stats()).completed, 10);
  await runner.stop();
  await loop;
  await store.close();
});
