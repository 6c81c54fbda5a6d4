/**
 * Conformance steps for `start` and `get`, and for values kept exactly:
 * JSON text of any size up to the limit, unicode, and times to the
 * millisecond.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { MAX_SAGA_VALUE_BYTES } from "../ports/saga_values.ts";
import {
  claimIds,
  nearNow,
  newSaga,
  OWNER,
  sleep,
  startClaimed,
  type Step,
  stepEntry,
} from "./_fixtures.ts";

const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/** JSON text as close to the limit as whole characters allow, mixing 2-, 3- and 4-byte UTF-8. */
function largestValue(): string {
  const unit = "é€\u{1F600}";
  const text = JSON.stringify({ text: unit.repeat(Math.floor((MAX_SAGA_VALUE_BYTES - 12) / 9)) });
  ok(new TextEncoder().encode(text).length <= MAX_SAGA_VALUE_BYTES);
  return text;
}

/**
 * Runs the `start` and `get` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function startSteps(step: Step): Promise<void> {
  await step("start() creates a saga running and runnable now, unleased", async (store) => {
    const started = await store.start(
      newSaga("order-1", { parentId: "parent-1", traceparent: TRACEPARENT }),
    );
    equal(started.created, true);
    const saga = started.saga;
    equal(saga.id, "order-1");
    equal(saga.name, "checkout");
    equal(saga.version, 1);
    equal(saga.input, '{"order":"o-1","total":42}');
    equal(saga.state, "running");
    equal(saga.output, null);
    equal(saga.error, null);
    equal(saga.cancelRequested, false);
    equal(saga.parentId, "parent-1");
    equal(saga.traceparent, TRACEPARENT);
    ok(nearNow(saga.runAt), "runnable now");
    ok(saga.runAt!.getTime() <= Date.now() + 1_000, "not in the future");
    equal(saga.leaseOwner, null);
    equal(saga.leaseExpiresAt, null);
    ok(nearNow(saga.createdAt));
    ok(nearNow(saga.updatedAt));
    equal(saga.finishedAt, null);
    deepEqual(await store.get("order-1"), { saga, entries: [] });
    const bare = (await store.start(newSaga("order-2"))).saga;
    equal(bare.parentId, null);
    equal(bare.traceparent, null);
    equal(await store.get("order-3"), null, "an unknown id");
  });

  await step(
    "start() of a taken id returns the saga as it is and writes nothing",
    async (store) => {
      await startClaimed(store, newSaga("order-1"));
      const before = (await store.get("order-1"))!;
      const again = await store.start(
        newSaga("order-1", { name: "refund", version: 2, input: '{"other":true}' }),
      );
      equal(again.created, false);
      deepEqual(again.saga, before.saga, "the existing saga, leased as it was");
      deepEqual(await store.get("order-1"), before);
      equal((await store.list()).total, 1);
    },
  );

  await step("racing starts of one id create it once", async (store) => {
    const outcomes = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) => store.start(newSaga("order-1", { input: `{"attempt":${i}}` })),
      ),
    );
    equal(outcomes.filter(({ created }) => created).length, 1, "one start created it");
    const input = outcomes.find(({ created }) => created)!.saga.input;
    for (const { saga } of outcomes) equal(saga.input, input, "every start sees the first");
    equal((await store.list()).total, 1);
  });

  await step("values round-trip as the exact JSON text, up to the size limit", async (store) => {
    const exact = '{"zeta":1,"alpha":[true,null,"x\\u0001y",1.50,-0,1e+21],"ü":"日本 \u{1F600}"}';
    const large = largestValue();
    for (const [id, input] of [["exact", exact], ["large", large]] as const) {
      equal((await store.start(newSaga(id, { input }))).saga.input, input);
      equal((await store.get(id))!.saga.input, input, `the ${id} input as stored`);
    }
    await store.claim({ owner: OWNER, limit: 2, leaseMs: 60_000, names: ["checkout"] });
    const wakeAt = new Date(Date.now() + 86_400_123);
    const entries = [
      stepEntry(0, { result: large }),
      stepEntry(1, { result: exact, name: "café \u{1F600}", error: "boom ü \u{1F600}" }),
      stepEntry(2, { kind: "sleep", state: "waiting", result: null, attempts: 0, wakeAt }),
      stepEntry(3, { kind: "compensation", name: "step-0", compensates: 0, attempts: 3 }),
    ];
    ok((await store.commit("exact", OWNER, { entries })).held);
    const stored = (await store.get("exact"))!.entries;
    deepEqual(
      stored.map(({ startedAt: _s, updatedAt: _u, ...entry }) => entry),
      entries,
      "every field of every entry",
    );
    equal(stored[2]!.wakeAt!.getTime(), wakeAt.getTime(), "times keep their milliseconds");
    const signal = (await store.signal("large", "approved", large))!;
    equal(signal.payload, large);
    ok((await store.commit("large", OWNER, { progress: { release: { runAt: new Date() } } })).held);
    const [claimed] = await store.claim({
      owner: OWNER,
      limit: 1,
      leaseMs: 60_000,
      names: ["checkout"],
    });
    equal(claimed!.signals[0]!.payload, large, "a signal payload as stored");
    ok(
      (await store.commit("large", OWNER, { progress: { state: "completed", output: large } }))
        .held,
    );
    equal((await store.get("large"))!.saga.output, large, "an output as stored");
    ok(
      (await store.commit("exact", OWNER, {
        progress: { state: "failed", error: "nope ü \u{1F600}" },
      })).held,
    );
    equal((await store.get("exact"))!.saga.error, "nope ü \u{1F600}");
  });

  await step("records a store returns are copies: changing them changes nothing", async (store) => {
    const { saga } = await startClaimed(store, newSaga("order-1"));
    ok((await store.commit("order-1", OWNER, { entries: [stepEntry(0)] })).held);
    const detail = (await store.get("order-1"))!;
    const expected = structuredClone(detail);
    saga.runAt!.setTime(0);
    saga.leaseExpiresAt!.setTime(0);
    detail.saga.createdAt.setTime(0);
    detail.entries[0]!.startedAt.setTime(0);
    (detail.entries as unknown[]).pop();
    const { items } = await store.list();
    items[0]!.updatedAt.setTime(0);
    deepEqual(await store.get("order-1"), expected);
    deepEqual(await claimIds(store, ["checkout"], { owner: "runner-2" }), [], "still leased");
  });

  await step(
    "start() with a lease starts the saga held by that owner until the lease runs out",
    async (store) => {
      const { saga, created } = await store.start(
        newSaga("here", { lease: { owner: OWNER, leaseMs: 200 } }),
      );
      ok(created);
      equal(saga.state, "running");
      equal(saga.leaseOwner, OWNER);
      ok(saga.leaseExpiresAt !== null && saga.leaseExpiresAt.getTime() > Date.now());
      deepEqual(
        await claimIds(store, ["checkout"], { owner: "runner-2" }),
        [],
        "held by its owner",
      );
      ok((await store.commit("here", OWNER, { entries: [stepEntry(0)] })).held);
      await sleep(300);
      deepEqual(
        await claimIds(store, ["checkout"], { owner: "runner-2" }),
        ["here"],
        "lease ran out",
      );
    },
  );
}
