/**
 * Conformance steps for reading the store: `list` and `stats`.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { SAGA_STATES, type SagaRecord } from "../ports/saga_store.ts";
import { newSaga, OWNER, park, sleep, startClaimed, type Step } from "./_fixtures.ts";

/** Whether `items` are newest first: by `createdAt`, then by id, both descending. */
function newestFirst(items: readonly SagaRecord[]): boolean {
  return items.every((item, i) => {
    const next = items[i + 1];
    if (next === undefined) return true;
    const byTime = item.createdAt.getTime() - next.createdAt.getTime();
    return byTime > 0 || (byTime === 0 && item.id > next.id);
  });
}

/**
 * Runs the `list` and `stats` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function querySteps(step: Step): Promise<void> {
  await step(
    "list() filters by state and name, newest first, with paging and a total",
    async (store) => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (await store.start(newSaga(`s-${i}`, { name: i % 2 === 0 ? "even" : "odd" }))).saga.id,
        );
        await sleep(5);
      }
      const all = await store.list();
      deepEqual(all.items.map(({ id }) => id), [...ids].reverse());
      equal(all.total, 5);
      deepEqual(all.items[0], (await store.get("s-4"))!.saga, "whole records");
      const page = await store.list({ name: "even", limit: 2, offset: 1 });
      deepEqual(page.items.map(({ id }) => id), ["s-2", "s-0"]);
      equal(page.total, 3);
      await startClaimed(store, newSaga("s-5", { name: "parked" }));
      await park(store, "s-5", null);
      deepEqual((await store.list({ state: "waiting" })).items.map(({ id }) => id), ["s-5"]);
      const running = await store.list({ state: "running", name: "odd" });
      deepEqual(running.items.map(({ id }) => id), ["s-3", "s-1"]);
      equal(running.total, 2);
      deepEqual(await store.list({ state: "failed" }), { items: [], total: 0 });
      deepEqual(await store.list({ name: "even", offset: 10 }), { items: [], total: 3 });
      deepEqual(await store.list({ name: "nobody" }), { items: [], total: 0 });
    },
  );

  await step("list() breaks ties of createdAt by id and returns 50 by default", async (store) => {
    await Promise.all(
      Array.from({ length: 55 }, (_, i) => store.start(newSaga(`s-${String(i).padStart(2, "0")}`))),
    );
    const first = await store.list();
    equal(first.items.length, 50);
    equal(first.total, 55);
    const rest = await store.list({ offset: 50 });
    const items = [...first.items, ...rest.items];
    equal(new Set(items.map(({ id }) => id)).size, 55, "pages do not overlap");
    ok(newestFirst(items), "newest first, then by id");
  });

  await step("stats() counts every state, zeros included", async (store) => {
    deepEqual(await store.stats(), Object.fromEntries(SAGA_STATES.map((state) => [state, 0])));
    await store.start(newSaga("running", { name: "idle" }));
    await startClaimed(store, newSaga("waiting"));
    await park(store, "waiting", null);
    for (const state of SAGA_STATES) {
      if (state === "running" || state === "waiting") continue;
      await startClaimed(store, newSaga(state));
      ok((await store.commit(state, OWNER, { progress: { state } })).held);
    }
    deepEqual(await store.stats(), Object.fromEntries(SAGA_STATES.map((state) => [state, 1])));
  });
}
