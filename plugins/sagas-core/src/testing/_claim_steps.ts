/**
 * Conformance steps for `claim`: which sagas are runnable, in what order,
 * with what lease; what a claimed saga comes with; and claims racing.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  claimIds,
  LONG_LEASE,
  nearNow,
  newSaga,
  OWNER,
  park,
  sleep,
  startClaimed,
  type Step,
  stepEntry,
} from "./_fixtures.ts";

/**
 * Runs the `claim` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function claimSteps(step: Step): Promise<void> {
  await step(
    "claim() takes runnable sagas of the given names, oldest runAt first, up to the limit",
    async (store) => {
      for (const id of ["a-1", "a-2", "a-3"]) {
        await store.start(newSaga(id, { name: "a" }));
        await sleep(5);
      }
      await store.start(newSaga("b-1", { name: "b" }));
      deepEqual(await claimIds(store, ["a"], { limit: 0 }), [], "a limit of 0");
      deepEqual(await claimIds(store, [], { limit: 10 }), [], "no names");
      const claimed = await store.claim({
        owner: OWNER,
        limit: 2,
        leaseMs: LONG_LEASE,
        names: ["a"],
      });
      deepEqual(claimed.map(({ saga }) => saga.id), ["a-1", "a-2"]);
      for (const { saga, entries, signals } of claimed) {
        equal(saga.state, "running");
        equal(saga.leaseOwner, OWNER);
        ok(saga.leaseExpiresAt!.getTime() > Date.now() + LONG_LEASE / 2, "leased for leaseMs");
        deepEqual(entries, []);
        deepEqual(signals, []);
        deepEqual((await store.get(saga.id))!.saga, saga, "the lease is stored");
      }
      deepEqual(await claimIds(store, ["a", "c"]), ["a-3"]);
      deepEqual(await claimIds(store, ["a"]), [], "held sagas are not claimed again");
      deepEqual(await claimIds(store, ["a"], { owner: "runner-2" }), []);
      equal((await store.get("b-1"))!.saga.leaseOwner, null, "other names are left alone");
    },
  );

  await step("claim() orders by runAt, not by age", async (store) => {
    await store.start(newSaga("old", { name: "a" }));
    await sleep(5);
    await startClaimed(store, newSaga("young", { name: "c" }));
    await park(store, "young", new Date(Date.now() - 60_000), "running");
    deepEqual(await claimIds(store, ["a", "c"], { limit: 1 }), ["young"]);
    deepEqual(await claimIds(store, ["a", "c"], { limit: 1 }), ["old"]);
  });

  await step("a saga released to a later runAt is claimed only once it has come", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    const runAt = new Date(Date.now() + 300);
    await park(store, "s-1", runAt, "running");
    const parked = (await store.get("s-1"))!.saga;
    equal(parked.state, "running");
    equal(parked.runAt!.getTime(), runAt.getTime(), "runAt to the millisecond");
    equal(parked.leaseOwner, null);
    equal(parked.leaseExpiresAt, null);
    deepEqual(await claimIds(store, ["checkout"]), []);
    await sleep(450);
    deepEqual(await claimIds(store, ["checkout"], { owner: "runner-2" }), ["s-1"]);
  });

  await step("a waiting saga becomes running when claimed after its runAt", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    await park(store, "s-1", new Date(Date.now() + 300));
    equal((await store.get("s-1"))!.saga.state, "waiting");
    deepEqual(await claimIds(store, ["checkout"]), []);
    await sleep(450);
    const [claimed] = await store.claim({
      owner: "runner-2",
      limit: 5,
      leaseMs: LONG_LEASE,
      names: ["checkout"],
    });
    equal(claimed?.saga.id, "s-1");
    equal(claimed.saga.state, "running");
    equal(claimed.saga.leaseOwner, "runner-2");
    equal((await store.get("s-1"))!.saga.state, "running");
  });

  await step(
    "a saga waiting with no runAt is claimed only after a signal or a cancel",
    async (store) => {
      for (const id of ["signalled", "cancelled"]) {
        await startClaimed(store, newSaga(id));
        await park(store, id, null);
        const parked = (await store.get(id))!.saga;
        equal(parked.state, "waiting");
        equal(parked.runAt, null);
      }
      deepEqual(await claimIds(store, ["checkout"]), []);
      await sleep(100);
      deepEqual(await claimIds(store, ["checkout"]), [], "not even later");
      const signal = (await store.signal("signalled", "approved", '{"by":"ann"}'))!;
      const woken = (await store.get("signalled"))!.saga;
      equal(woken.state, "running");
      ok(nearNow(woken.runAt), "runnable now");
      const [claimed] = await store.claim({
        owner: OWNER,
        limit: 5,
        leaseMs: LONG_LEASE,
        names: ["checkout"],
      });
      equal(claimed?.saga.id, "signalled");
      deepEqual(claimed.signals, [signal]);
      ok(await store.cancel("cancelled"));
      deepEqual(await claimIds(store, ["checkout"]), ["cancelled"]);
    },
  );

  await step("a compensating saga is claimed and stays compensating", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    await park(store, "s-1", new Date(Date.now() - 1_000), "compensating");
    const [claimed] = await store.claim({
      owner: "runner-2",
      limit: 1,
      leaseMs: LONG_LEASE,
      names: ["checkout"],
    });
    equal(claimed?.saga.id, "s-1");
    equal(claimed.saga.state, "compensating");
    equal(claimed.saga.leaseOwner, "runner-2");
  });

  await step("finished sagas are never claimed", async (store) => {
    for (const state of ["completed", "compensated", "failed", "cancelled"] as const) {
      await startClaimed(store, newSaga(state));
      ok((await store.commit(state, OWNER, { progress: { state } })).held);
    }
    await sleep(50);
    deepEqual(await claimIds(store, ["checkout"], { owner: "runner-2" }), []);
  });

  await step("a lease that ran out lets another owner claim the saga", async (store) => {
    await startClaimed(store, newSaga("s-1"), "dead-runner", 200);
    deepEqual(await claimIds(store, ["checkout"], { owner: "runner-2" }), [], "still leased");
    await sleep(350);
    const [claimed] = await store.claim({
      owner: "runner-2",
      limit: 1,
      leaseMs: LONG_LEASE,
      names: ["checkout"],
    });
    equal(claimed?.saga.id, "s-1");
    equal(claimed.saga.leaseOwner, "runner-2");
    const late = await store.commit("s-1", "dead-runner", { entries: [stepEntry(0)] });
    equal(late.held, false, "the dead runner lost it");
    deepEqual((await store.get("s-1"))!.entries, [], "and wrote nothing");
    ok((await store.commit("s-1", "runner-2", { entries: [stepEntry(0)] })).held);
  });

  await step(
    "a claimed saga comes with its journal by seq and its untaken signals oldest first",
    async (store) => {
      await startClaimed(store, newSaga("s-1"));
      const entries = [stepEntry(2), stepEntry(0), stepEntry(1, { kind: "value", name: "now" })];
      ok((await store.commit("s-1", OWNER, { entries })).held);
      const signals = [];
      for (const name of ["first", "second", "third"]) {
        signals.push((await store.signal("s-1", name, `{"name":"${name}"}`))!);
        await sleep(5);
      }
      ok((await store.commit("s-1", OWNER, { takeSignal: signals[1]!.id })).held);
      await park(store, "s-1", new Date(), "running");
      const [claimed] = await store.claim({
        owner: "runner-2",
        limit: 1,
        leaseMs: LONG_LEASE,
        names: ["checkout"],
      });
      deepEqual(claimed?.entries.map(({ seq }) => seq), [0, 1, 2]);
      deepEqual(claimed.entries.map(({ name }) => name), ["step-0", "now", "step-2"]);
      deepEqual(claimed.signals, [signals[0], signals[2]]);
      deepEqual(claimed.entries, (await store.get("s-1"))!.entries);
    },
  );

  await step("racing claims never hand a saga to two owners", async (store, peer) => {
    const other = await peer();
    for (let i = 0; i < 30; i++) await store.start(newSaga(`s-${i}`));
    const batches = await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) =>
          (i % 2 === 0 ? store : other).claim({
            owner: `runner-${i}`,
            limit: 7,
            leaseMs: LONG_LEASE,
            names: ["checkout"],
          }),
      ),
    );
    const ids = batches.flat().map(({ saga }) => saga.id);
    equal(new Set(ids).size, ids.length, "no saga claimed twice");
    equal(ids.length, 30, "every saga claimed");
    for (const [i, batch] of batches.entries()) {
      for (const { saga } of batch) {
        equal((await store.get(saga.id))!.saga.leaseOwner, `runner-${i}`, "the lease as returned");
      }
    }
  });
}
