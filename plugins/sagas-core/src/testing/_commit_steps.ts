/**
 * Conformance steps for `commit`: entries inserted and replaced by seq, a
 * signal taken, progress applied, the lease ended by a release or a finish,
 * and nothing written by an owner that does not hold the saga or with a
 * signal that is not the saga's.
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { FINISHED_SAGA_STATES, type SagaCommit } from "../ports/saga_store.ts";
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
 * Runs the `commit` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function commitSteps(step: Step): Promise<void> {
  await step("commit() inserts entries and replaces them by seq", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    const waiting = stepEntry(1, {
      kind: "sleep",
      name: "cool-off",
      state: "waiting",
      result: null,
      attempts: 0,
      wakeAt: new Date(Date.now() + 60_000),
    });
    equal(
      (await store.commit("s-1", OWNER, { entries: [stepEntry(0), waiting] })).held,
      true,
    );
    const first = (await store.get("s-1"))!.entries;
    deepEqual(first.map(({ seq }) => seq), [0, 1]);
    for (const entry of first) {
      ok(nearNow(entry.startedAt));
      equal(entry.updatedAt.getTime(), entry.startedAt.getTime(), "written once");
    }
    await sleep(20);
    const done = { ...waiting, state: "completed" as const, wakeAt: null };
    const retrying = stepEntry(2, {
      state: "retrying",
      result: null,
      error: "timeout",
      attempts: 2,
      wakeAt: new Date(Date.now() + 5_000),
    });
    ok((await store.commit("s-1", OWNER, { entries: [retrying, done] })).held);
    const second = (await store.get("s-1"))!.entries;
    deepEqual(
      second.map(({ startedAt: _s, updatedAt: _u, ...entry }) => entry),
      [stepEntry(0), done, retrying],
    );
    deepEqual(second[0], first[0], "an entry not written is unchanged");
    equal(second[1]!.startedAt.getTime(), first[1]!.startedAt.getTime(), "first written then");
    ok(second[1]!.updatedAt.getTime() > first[1]!.updatedAt.getTime(), "rewritten later");
  });

  await step("commit() applies state, output and error, and keeps what it omits", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    const compensating = await store.commit("s-1", OWNER, {
      progress: { state: "compensating", error: "card declined" },
    });
    deepEqual(compensating, { held: true, cancelRequested: false });
    let saga = (await store.get("s-1"))!.saga;
    equal(saga.state, "compensating");
    equal(saga.error, "card declined");
    equal(saga.leaseOwner, OWNER, "still leased: no release");
    equal(saga.finishedAt, null);
    ok((await store.commit("s-1", OWNER, { progress: { output: '"partial"' } })).held);
    saga = (await store.get("s-1"))!.saga;
    equal(saga.state, "compensating", "a state omitted is kept");
    equal(saga.error, "card declined", "an error omitted is kept");
    equal(saga.output, '"partial"');
    ok((await store.commit("s-1", OWNER, { progress: { output: null, error: null } })).held);
    saga = (await store.get("s-1"))!.saga;
    equal(saga.output, null, "null clears the output");
    equal(saga.error, null, "null clears the error");
  });

  await step(
    "commit() to a finished state sets finishedAt, clears runAt and ends the lease",
    async (store) => {
      for (const state of FINISHED_SAGA_STATES) {
        await startClaimed(store, newSaga(state));
        const output = state === "completed" ? '{"ok":true}' : null;
        const error = state === "completed" ? null : `why ${state}`;
        const outcome = await store.commit(state, OWNER, { progress: { state, output, error } });
        deepEqual(outcome, { held: true, cancelRequested: false });
        const saga = (await store.get(state))!.saga;
        equal(saga.state, state);
        equal(saga.output, output);
        equal(saga.error, error);
        ok(nearNow(saga.finishedAt), `${state} sets finishedAt`);
        equal(saga.runAt, null);
        equal(saga.leaseOwner, null);
        equal(saga.leaseExpiresAt, null);
        const again = await store.commit(state, OWNER, { entries: [stepEntry(0)] });
        equal(again.held, false, `a ${state} saga is no longer held`);
        deepEqual((await store.get(state))!.entries, []);
      }
    },
  );

  await step("commit() with a release ends the lease and sets runAt", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    const runAt = new Date(Date.now() + 60_000);
    ok((await store.commit("s-1", OWNER, { progress: { release: { runAt } } })).held);
    const saga = (await store.get("s-1"))!.saga;
    equal(saga.state, "running", "the state is kept");
    equal(saga.runAt!.getTime(), runAt.getTime());
    equal(saga.leaseOwner, null);
    equal(saga.leaseExpiresAt, null);
    equal(saga.finishedAt, null);
    equal(
      (await store.commit("s-1", OWNER, { entries: [stepEntry(0)] })).held,
      false,
      "released: no longer held",
    );
    deepEqual((await store.get("s-1"))!.entries, []);
  });

  await step("commit() takes a signal: it is deleted", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    const first = (await store.signal("s-1", "approved", '{"n":1}'))!;
    await sleep(5);
    const second = (await store.signal("s-1", "approved", null))!;
    const outcome = await store.commit("s-1", OWNER, {
      entries: [stepEntry(0, { kind: "signal", name: "approved", result: first.payload })],
      takeSignal: first.id,
    });
    ok(outcome.held);
    await park(store, "s-1", new Date(), "running");
    const [claimed] = await store.claim({
      owner: OWNER,
      limit: 1,
      leaseMs: LONG_LEASE,
      names: ["checkout"],
    });
    deepEqual(claimed?.signals, [second]);
    equal(claimed.entries.length, 1);
  });

  await step(
    "commit() of a signal that is not the saga's throws a RangeError and writes nothing",
    async (store) => {
      await startClaimed(store, newSaga("mine"));
      await startClaimed(store, newSaga("theirs"));
      ok((await store.commit("mine", OWNER, { entries: [stepEntry(0)] })).held);
      const foreign = (await store.signal("theirs", "approved", "true"))!;
      const before = await store.get("mine");
      const commit: SagaCommit = {
        entries: [stepEntry(0, { result: '"changed"' }), stepEntry(1)],
        takeSignal: foreign.id,
        progress: { state: "completed", output: '"done"' },
      };
      await rejects(store.commit("mine", OWNER, commit), RangeError);
      deepEqual(await store.get("mine"), before, "the saga and its journal are unchanged");
      await rejects(
        store.commit("mine", OWNER, {
          ...commit,
          takeSignal: "00000000-0000-7000-8000-000000000000",
        }),
        RangeError,
        "a signal no saga has",
      );
      await rejects(
        store.commit("mine", OWNER, { ...commit, takeSignal: "not a signal id" }),
        RangeError,
        "a malformed signal id",
      );
      deepEqual(await store.get("mine"), before);
      await park(store, "theirs", new Date(), "running");
      const [claimed] = await store.claim({
        owner: OWNER,
        limit: 1,
        leaseMs: LONG_LEASE,
        names: ["checkout"],
      });
      equal(claimed?.saga.id, "theirs");
      deepEqual(claimed.signals, [foreign], "the other saga keeps its signal");
    },
  );

  await step(
    "commit() by an owner that does not hold the saga returns held false and writes nothing",
    async (store) => {
      await startClaimed(store, newSaga("s-1"));
      const signal = (await store.signal("s-1", "approved", "1"))!;
      const before = await store.get("s-1");
      const commit: SagaCommit = {
        entries: [stepEntry(0)],
        takeSignal: signal.id,
        progress: { state: "completed", output: '"stolen"', release: { runAt: null } },
      };
      equal((await store.commit("s-1", "runner-2", commit)).held, false, "another owner");
      equal((await store.commit("s-2", OWNER, commit)).held, false, "an unknown saga");
      deepEqual(await store.get("s-1"), before);
      await store.start(newSaga("unclaimed", { name: "other" }));
      const unclaimed = await store.get("unclaimed");
      equal(
        (await store.commit("unclaimed", OWNER, { entries: [stepEntry(0)] })).held,
        false,
        "a saga nobody claimed",
      );
      deepEqual(await store.get("unclaimed"), unclaimed);
      await park(store, "s-1", new Date(), "running");
      const [claimed] = await store.claim({
        owner: OWNER,
        limit: 1,
        leaseMs: LONG_LEASE,
        names: ["checkout"],
      });
      deepEqual(claimed?.signals, [signal], "the signal was not taken");
      deepEqual(claimed.entries, []);
    },
  );

  await step("a lease that ran out is still held until another owner claims", async (store) => {
    await startClaimed(store, newSaga("s-1"), OWNER, 100);
    await sleep(250);
    ok((await store.commit("s-1", OWNER, { entries: [stepEntry(0)] })).held);
    equal((await store.get("s-1"))!.entries.length, 1);
    deepEqual((await store.heartbeat(OWNER, ["s-1"], LONG_LEASE)).held, ["s-1"]);
    deepEqual(await claimIds(store, ["checkout"], { owner: "runner-2" }), [], "extended again");
  });

  await step("commit() reports a cancel asked for while the saga runs", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    deepEqual(await store.commit("s-1", OWNER, {}), { held: true, cancelRequested: false });
    const cancelled = (await store.cancel("s-1"))!;
    equal(cancelled.state, "running");
    equal(cancelled.cancelRequested, true);
    equal(cancelled.leaseOwner, OWNER, "the runner keeps its lease");
    deepEqual(await store.commit("s-1", OWNER, { entries: [stepEntry(0)] }), {
      held: true,
      cancelRequested: true,
    });
  });

  await step(
    "a release into waiting wakes the saga at once after a signal or cancel came while it ran",
    async (store) => {
      const waitFor = { state: "waiting", release: { runAt: null } } as const;
      await startClaimed(store, newSaga("quiet"));
      await startClaimed(store, newSaga("signalled"));
      await startClaimed(store, newSaga("cancelled"));
      ok((await store.signal("signalled", "go", null)) !== null);
      ok((await store.cancel("cancelled")) !== null);
      for (const id of ["quiet", "signalled", "cancelled"]) {
        ok((await store.commit(id, OWNER, { progress: waitFor })).held);
      }
      equal((await store.get("quiet"))!.saga.runAt, null, "nothing came: it waits");
      ok(nearNow((await store.get("signalled"))!.saga.runAt), "a signal came: runnable now");
      ok(nearNow((await store.get("cancelled"))!.saga.runAt), "a cancel came: runnable now");
      deepEqual(
        (await claimIds(store, ["checkout"])).sort(),
        ["cancelled", "signalled"],
      );
      ok((await store.commit("signalled", OWNER, { progress: waitFor })).held);
      equal(
        (await store.get("signalled"))!.saga.runAt,
        null,
        "the signal came before this claim: the runner saw it, so it waits",
      );
    },
  );
}
