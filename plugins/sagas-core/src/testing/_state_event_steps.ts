/**
 * Conformance steps for the state events: a commit that moves a saga to a
 * watched state records one event with it, nothing else does, and events
 * are read oldest first until removed, also across two stores on the same
 * data.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { StateEvent } from "@netscript/store";
import { nearNow, newSaga, OWNER, startClaimed, type Step } from "./_fixtures.ts";

/** The events' `(name, subject, state, error)`, in the order read. */
function _changes(events: readonly StateEvent[]): [string, string, string, string | null][] {
  return events.map((event) => [event.name, event.subject, event.state, event.error]);
}

/**
 * Runs the state event steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function stateEventSteps(step: Step): Promise<void> {
  await step("no state event is recorded while nothing is watched", async (store) => {
    await startClaimed(store, newSaga("s-1"));
    ok((await store.commit("s-1", OWNER, { progress: { state: "completed", output: "1" } })).held);
    deepEqual(await store.readStateEvents(10), []);
  });

  await step("each finished state a commit reaches records one event", async (store) => {
    await store.watchStates([
      { name: "checkout", state: "completed" },
      { name: "checkout", state: "compensated" },
      { name: "checkout", state: "failed" },
      { name: "checkout", state: "cancelled" },
    ]);
    const outcomes = [
      ["s-1", "completed", null],
      ["s-2", "compensated", "card declined"],
      ["s-3", "failed", "compensation kept failing"],
      ["s-4", "cancelled", "cancelled by the API"],
    ] as const;
    for (const [id, state, error] of outcomes) {
      await startClaimed(store, newSaga(id));
      const commit = await store.commit(id, OWNER, {
        progress: { state, error, ...(state === "completed" ? { output: '"ok"' } : {}) },
      });
      ok(commit.held);
    }
    const events = await store.readStateEvents(10);
    deepEqual(
      _changes(events),
      outcomes.map(([id, state, error]) => ["checkout", id, state, error]),
    );
    equal(new Set(events.map((event) => event.id)).size, 4, "every event has its own id");
    for (const event of events) ok(nearNow(event.at), "recorded at about now");
  });

  await step("only watched names and states are recorded", async (store) => {
    await store.watchStates([{ name: "checkout", state: "failed" }]);
    await startClaimed(store, newSaga("s-1"));
    ok((await store.commit("s-1", OWNER, { progress: { state: "completed", output: "1" } })).held);
    await startClaimed(store, newSaga("s-2", { name: "refund" }));
    ok((await store.commit("s-2", OWNER, { progress: { state: "failed", error: "x" } })).held);
    await startClaimed(store, newSaga("s-3"));
    const waiting = { state: "waiting" as const, release: { runAt: null } };
    ok((await store.commit("s-3", OWNER, { progress: waiting })).held);
    deepEqual(await store.readStateEvents(10), []);
    await startClaimed(store, newSaga("s-4"));
    ok((await store.commit("s-4", OWNER, { progress: { state: "failed", error: "boom" } })).held);
    deepEqual(_changes(await store.readStateEvents(10)), [["checkout", "s-4", "failed", "boom"]]);
  });

  await step("a commit without the lease records nothing", async (store) => {
    await store.watchStates([{ name: "checkout", state: "completed" }]);
    await startClaimed(store, newSaga("s-1"));
    const stolen = await store.commit("s-1", "someone-else", {
      progress: { state: "completed", output: "1" },
    });
    equal(stolen.held, false);
    deepEqual(await store.readStateEvents(10), []);
  });

  await step("events are read oldest first, a page at a time, until removed", async (store) => {
    await store.watchStates([{ name: "checkout", state: "completed" }]);
    const ids = ["s-1", "s-2", "s-3", "s-4"];
    for (const id of ids) {
      await startClaimed(store, newSaga(id));
      ok((await store.commit(id, OWNER, { progress: { state: "completed", output: "1" } })).held);
    }
    const first = await store.readStateEvents(2);
    deepEqual(first.map((event) => event.subject), ids.slice(0, 2));
    deepEqual(
      (await store.readStateEvents(2)).map((event) => event.id),
      first.map((event) => event.id),
      "reading removes nothing",
    );
    await store.removeStateEvents([...first.map((event) => event.id), first[0]!.id]);
    deepEqual((await store.readStateEvents(10)).map((event) => event.subject), ids.slice(2));
    await store.removeStateEvents(first.map((event) => event.id));
    equal((await store.readStateEvents(10)).length, 2, "removing twice changes nothing");
  });

  await step("watchStates replaces the pairs and keeps recorded events", async (store) => {
    await store.watchStates([{ name: "checkout", state: "completed" }]);
    await startClaimed(store, newSaga("kept"));
    ok((await store.commit("kept", OWNER, { progress: { state: "completed", output: "1" } })).held);
    await store.watchStates([{ name: "refund", state: "completed" }]);
    await startClaimed(store, newSaga("unwatched"));
    const done = { progress: { state: "completed" as const, output: "1" } };
    ok((await store.commit("unwatched", OWNER, done)).held);
    await startClaimed(store, newSaga("watched", { name: "refund" }));
    ok((await store.commit("watched", OWNER, done)).held);
    await store.watchStates([]);
    await startClaimed(store, newSaga("after", { name: "refund" }));
    ok((await store.commit("after", OWNER, done)).held);
    deepEqual((await store.readStateEvents(10)).map((event) => event.subject), ["kept", "watched"]);
  });

  await step(
    "a watch set by another store is honoured by this one's commits",
    async (store, peer) => {
      const other = await peer();
      await startClaimed(store, newSaga("s-1"));
      await startClaimed(store, newSaga("s-0"));
      // A commit before the watch, so a store that caches what is watched has it cached.
      const before = await store.commit("s-0", OWNER, {
        progress: { state: "completed", output: "0" },
      });
      ok(before.held);
      await other.watchStates([{ name: "checkout", state: "completed" }]);
      ok(
        (await store.commit("s-1", OWNER, { progress: { state: "completed", output: "1" } })).held,
      );
      const events = await other.readStateEvents(10);
      deepEqual(_changes(events), [["checkout", "s-1", "completed", null]]);
      await other.removeStateEvents(events.map((event) => event.id));
      deepEqual(await store.readStateEvents(10), []);
    },
  );
}
