/**
 * Conformance steps for `waitForWork`: it ends when a saga may have become
 * runnable (a start, a release, a signal, a cancel, a retry, from this
 * store or another on the same data), on its timeout, on its signal and
 * on `close()`.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import type { SagaStore } from "../ports/saga_store.ts";
import {
  FOREVER,
  newSaga,
  OWNER,
  park,
  sleep,
  soon,
  startClaimed,
  type Step,
  stillPending,
} from "./_fixtures.ts";

/**
 * Ends the wake-ups a store may give a first wait (a `LISTEN` connection
 * that just opened returns the wait once it listens) and those of writes
 * before it, so the next wait ends only on work or its timeout.
 */
async function quiet(store: SagaStore): Promise<void> {
  await store.waitForWork(0);
  await store.waitForWork(200);
}

/**
 * Checks that a wait ends on `act`, and not before it.
 *
 * @param store The store.
 * @param act What should end the wait.
 * @param what What it is, for failures.
 */
async function wakesOn(store: SagaStore, act: () => Promise<unknown>, what: string): Promise<void> {
  await quiet(store);
  const waiting = store.waitForWork(FOREVER);
  ok(await stillPending(waiting, 100), `nothing happened before the ${what}`);
  await act();
  await soon(waiting, `a wait after a ${what}`);
}

/**
 * Runs the `waitForWork` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function waitSteps(step: Step): Promise<void> {
  await step(
    "waitForWork() wakes on a start by this store or another on the same data",
    async (store, peer) => {
      const other = await peer();
      await wakesOn(store, () => other.start(newSaga("s-1")), "start by another store");
      await quiet(other);
      const again = other.waitForWork(FOREVER);
      await sleep(50);
      await store.start(newSaga("s-2"));
      await soon(again, "a wait in the other store");
    },
  );

  await step(
    "waitForWork() wakes on a release to runnable, a signal and a cancel",
    async (store) => {
      await startClaimed(store, newSaga("released", { name: "released" }));
      await wakesOn(store, () => park(store, "released", new Date(), "running"), "release");
      await startClaimed(store, newSaga("signalled", { name: "signalled" }));
      await park(store, "signalled", null);
      await wakesOn(store, () => store.signal("signalled", "approved", null), "signal");
      await startClaimed(store, newSaga("cancelled", { name: "cancelled" }));
      await park(store, "cancelled", null);
      await wakesOn(store, () => store.cancel("cancelled"), "cancel");
    },
  );

  await step("waitForWork() wakes on a retry", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    ok((await store.commit("s-1", OWNER, { progress: { state: "failed", error: "x" } })).held);
    await wakesOn(store, () => store.retry("s-1"), "retry");
  });

  await step("waitForWork() times out when nothing happens", async (store) => {
    await store.waitForWork(0);
    await soon(store.waitForWork(200), "a 200 ms wait");
    equal((await store.stats()).running, 0);
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
