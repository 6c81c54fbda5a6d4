/**
 * Conformance steps for `waitForWork`: it ends on a record or a retry
 * (from this store or another on the same data), on its timeout, on its
 * signal and on `close()`.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import type { DeliveryStore } from "../ports/delivery_store.ts";
import { FOREVER, sleep, soon, type Step, stillPending, webhook } from "./_fixtures.ts";

/**
 * Ends the wake-ups a store may give a first wait (a `LISTEN` connection
 * that just opened returns the wait once it listens), so the next wait
 * ends only on work or its timeout.
 */
async function quiet(store: DeliveryStore): Promise<void> {
  await store.waitForWork(0);
  await store.waitForWork(200);
}

/**
 * Runs the `waitForWork` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function waitSteps(step: Step): Promise<void> {
  await step(
    "waitForWork() wakes on a record by this store or another on the same data",
    async (store, peer) => {
      const other = await peer();
      await quiet(store);
      const waiting = store.waitForWork(FOREVER);
      ok(await stillPending(waiting, 100), "nothing recorded yet");
      await other.record(webhook("github", "d-1"));
      await soon(waiting, "a wait after a record by another store");
      await quiet(other);
      const again = other.waitForWork(FOREVER);
      await sleep(50);
      await store.record(webhook("github", "d-2"));
      await soon(again, "a wait in the other store");
    },
  );

  await step("waitForWork() wakes on a retry", async (store) => {
    const { id } = await store.record(webhook("github", "d-1"));
    await store.claim({ owner: "p1", limit: 1, leaseMs: 60_000 });
    await quiet(store);
    const waiting = store.waitForWork(FOREVER);
    ok(await stillPending(waiting, 100), "nothing claimable yet");
    ok(await store.settle(id, "p1", { state: "pending", error: "x", retryAt: new Date() }));
    await soon(waiting, "a wait after a retry");
  });

  await step("waitForWork() times out when nothing is recorded", async (store) => {
    await store.waitForWork(0);
    await soon(store.waitForWork(200), "a 200 ms wait");
    equal((await store.stats()).pending, 0);
  });

  await step(
    "waitForWork() ends when its signal aborts, and at once when it already has",
    async (store) => {
      await store.waitForWork(0);
      const controller = new AbortController();
      const waiting = store.waitForWork(FOREVER, controller.signal);
      await sleep(50);
      controller.abort();
      await soon(waiting, "an aborted wait");
      await soon(store.waitForWork(FOREVER, controller.signal), "a wait with an aborted signal");
    },
  );

  await step("close() ends pending waits", async (store) => {
    await store.waitForWork(0);
    const waiting = store.waitForWork(FOREVER);
    await sleep(50);
    await store.close();
    await soon(waiting, "a wait on a closed store");
  });
}
