/**
 * Conformance steps for the calls that steer a saga from outside its
 * runner (`cancel`, `signal`, `retry`) and for `heartbeat`.
 *
 * @module
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import type { SagaStore } from "../ports/saga_store.ts";
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

/** Starts `id`, claims it and finishes it in `state`. */
async function finished(
  store: SagaStore,
  id: string,
  state: "completed" | "failed",
): Promise<void> {
  await startClaimed(store, newSaga(id));
  ok((await store.commit(id, OWNER, { progress: { state, error: state } })).held);
}

/**
 * Runs the `heartbeat`, `cancel`, `signal` and `retry` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function controlSteps(step: Step): Promise<void> {
  await step(
    "heartbeat() extends only the leases the owner holds, and reports cancels",
    async (store) => {
      await startClaimed(store, newSaga("a"), OWNER, 300);
      await startClaimed(store, newSaga("b"), OWNER, 300);
      await startClaimed(store, newSaga("c"), "runner-2", LONG_LEASE);
      await store.cancel("b");
      const beat = await store.heartbeat(OWNER, ["a", "b", "c", "unknown"], LONG_LEASE);
      deepEqual([...beat.held].sort(), ["a", "b"]);
      deepEqual(beat.cancelRequested, ["b"]);
      for (const id of ["a", "b"]) {
        const saga = (await store.get(id))!.saga;
        ok(saga.leaseExpiresAt!.getTime() > Date.now() + LONG_LEASE / 2, `${id} extended`);
      }
      equal(
        (await store.get("c"))!.saga.leaseOwner,
        "runner-2",
        "another owner's saga is left alone",
      );
      await sleep(450);
      deepEqual(await claimIds(store, ["checkout"], { owner: "runner-3" }), [], "still leased");
      deepEqual(await store.heartbeat(OWNER, [], LONG_LEASE), { held: [], cancelRequested: [] });
      await park(store, "a", new Date(Date.now() + 60_000), "running");
      deepEqual(
        (await store.heartbeat(OWNER, ["a"], LONG_LEASE)).held,
        [],
        "a released saga is not extended",
      );
      equal((await store.get("a"))!.saga.leaseOwner, null);
    },
  );

  await step(
    "cancel() asks an unfinished saga to cancel, and wakes a waiting one",
    async (store) => {
      await store.start(newSaga("running", { name: "idle" }));
      const running = (await store.cancel("running"))!;
      equal(running.state, "running");
      equal(running.cancelRequested, true);
      deepEqual((await store.get("running"))!.saga, running, "as stored");
      deepEqual((await store.cancel("running"))!.cancelRequested, true, "twice is fine");
      for (const runAt of [null, new Date(Date.now() + 60_000)]) {
        const id = `waiting-${runAt === null ? "signal" : "sleep"}`;
        await startClaimed(store, newSaga(id, { name: id }));
        await park(store, id, runAt);
        const woken = (await store.cancel(id))!;
        equal(woken.state, "running");
        equal(woken.cancelRequested, true);
        ok(nearNow(woken.runAt), "runnable now");
        equal(woken.leaseOwner, null);
      }
      deepEqual(
        (await claimIds(store, ["idle", "waiting-signal", "waiting-sleep"])).sort(),
        ["running", "waiting-signal", "waiting-sleep"],
      );
      await finished(store, "done", "completed");
      const done = (await store.get("done"))!.saga;
      deepEqual(await store.cancel("done"), done, "a finished saga is returned unchanged");
      deepEqual((await store.get("done"))!.saga, done);
      equal(await store.cancel("unknown"), null);
    },
  );

  await step("signal() keeps a signal for an unfinished saga and wakes it", async (store) => {
    const { saga } = await startClaimed(store, newSaga("s-1"));
    const signal = (await store.signal("s-1", "approved", '{"by":"ann ü"}'))!;
    equal(signal.name, "approved");
    equal(signal.payload, '{"by":"ann ü"}');
    ok(nearNow(signal.receivedAt));
    ok(signal.id.length > 0);
    const bare = (await store.signal("s-1", "approved", null))!;
    equal(bare.payload, null);
    notEqual(bare.id, signal.id);
    deepEqual(
      (await store.get("s-1"))!.saga.leaseOwner,
      saga.leaseOwner,
      "a running saga keeps its lease",
    );
    for (const runAt of [null, new Date(Date.now() + 60_000)]) {
      const id = `waiting-${runAt === null ? "signal" : "sleep"}`;
      await startClaimed(store, newSaga(id, { name: id }));
      await park(store, id, runAt);
      ok(await store.signal(id, "approved", null));
      const woken = (await store.get(id))!.saga;
      equal(woken.state, "running");
      ok(nearNow(woken.runAt), "runnable now");
      equal(woken.cancelRequested, false);
    }
    deepEqual((await claimIds(store, ["waiting-signal", "waiting-sleep"])).sort(), [
      "waiting-signal",
      "waiting-sleep",
    ]);
  });

  await step("signal() to a finished or unknown saga keeps nothing", async (store) => {
    await finished(store, "done", "failed");
    const before = await store.get("done");
    equal(await store.signal("done", "approved", "1"), null);
    equal(await store.signal("unknown", "approved", "1"), null);
    deepEqual(await store.get("done"), before);
    ok(await store.retry("done"));
    const [claimed] = await store.claim({
      owner: OWNER,
      limit: 1,
      leaseMs: LONG_LEASE,
      names: ["checkout"],
    });
    deepEqual(claimed?.signals, [], "the signal sent while it was finished was not kept");
  });

  await step(
    "retry() makes a failed saga running and runnable, keeping its journal",
    async (store) => {
      await startClaimed(store, newSaga("s-1"));
      ok(
        (await store.commit("s-1", OWNER, {
          entries: [stepEntry(0)],
          progress: { state: "failed", error: "compensation failed" },
        })).held,
      );
      const retried = (await store.retry("s-1"))!;
      equal(retried.state, "running");
      equal(retried.error, null);
      equal(retried.finishedAt, null);
      equal(retried.leaseOwner, null);
      ok(nearNow(retried.runAt), "runnable now");
      deepEqual((await store.get("s-1"))!.saga, retried, "as stored");
      const [claimed] = await store.claim({
        owner: "runner-2",
        limit: 1,
        leaseMs: LONG_LEASE,
        names: ["checkout"],
      });
      equal(claimed?.saga.id, "s-1");
      deepEqual(claimed.entries.map(({ seq }) => seq), [0], "the journal is kept");
    },
  );

  await step("retry() returns other sagas unchanged, and null for an unknown id", async (store) => {
    await store.start(newSaga("running", { name: "idle" }));
    await startClaimed(store, newSaga("waiting"));
    await park(store, "waiting", null);
    await finished(store, "completed", "completed");
    await startClaimed(store, newSaga("cancelled"));
    ok((await store.commit("cancelled", OWNER, { progress: { state: "cancelled" } })).held);
    for (const id of ["running", "waiting", "completed", "cancelled"]) {
      const before = (await store.get(id))!.saga;
      deepEqual(await store.retry(id), before, `a ${id} saga`);
      deepEqual((await store.get(id))!.saga, before);
    }
    equal(await store.retry("unknown"), null);
  });
}
