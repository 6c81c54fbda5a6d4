/**
 * Conformance steps for `record`: deduplication by (trigger, key), what a
 * recorded delivery holds, input no store can keep, and racing records of
 * one key.
 *
 * @module
 */
import { deepEqual, equal, notEqual, ok, rejects } from "node:assert/strict";
import type { DeliveryStats } from "../ports/delivery_store.ts";
import { type Step, webhook } from "./_fixtures.ts";

const NONE: DeliveryStats = { pending: 0, dispatched: 0, skipped: 0, rejected: 0, failed: 0 };

/**
 * Runs the `record` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function recordSteps(step: Step): Promise<void> {
  await step("record() keeps every field of a new delivery", async (store) => {
    const before = Date.now();
    const recorded = await store.record(webhook("github", "d-1", {
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      payload: { nested: { list: [1, "two", null, true], emoji: "🎉" } },
    }));
    deepEqual({ duplicate: recorded.duplicate, state: recorded.state }, {
      duplicate: false,
      state: "pending",
    });
    const got = (await store.get(recorded.id))!;
    equal(got.id, recorded.id);
    equal(got.trigger, "github");
    equal(got.source, "webhook");
    equal(got.key, "d-1");
    deepEqual(got.payload, { nested: { list: [1, "two", null, true], emoji: "🎉" } });
    deepEqual(got.headers, { "x-github-event": "pull_request" });
    equal(got.state, "pending");
    equal(got.attempts, 0);
    equal(got.error, null);
    equal(got.target, null);
    equal(got.replayOf, null);
    equal(got.traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    equal(got.leaseOwner, null);
    equal(got.leaseExpiresAt, null);
    equal(got.settledAt, null);
    ok(got.receivedAt.getTime() >= before - 5_000, "received now");
    ok(got.runAt.getTime() <= got.receivedAt.getTime() + 1, "due at once");
    equal(await store.get("00000000-0000-7000-8000-000000000000"), null);
    equal(await store.get("not an id"), null);
  });

  await step(
    "record() with a key the trigger has returns the first delivery and writes nothing",
    async (store) => {
      const first = await store.record(webhook("github", "d-1"));
      const again = await store.record(webhook("github", "d-1", { payload: { other: true } }));
      deepEqual(again, { id: first.id, duplicate: true, state: "pending" });
      deepEqual((await store.get(first.id))!.payload, { action: "opened", number: 7 });
      equal((await store.list()).total, 1);
      const rejected = await store.record(
        webhook("stripe", "e-1", { state: "rejected", error: "bad" }),
      );
      deepEqual(await store.record(webhook("stripe", "e-1")), {
        id: rejected.id,
        duplicate: true,
        state: "rejected",
      });
    },
  );

  await step("record() never treats deliveries without a key as duplicates", async (store) => {
    const a = await store.record({ trigger: "nightly", source: "manual", payload: 1 });
    const b = await store.record({ trigger: "nightly", source: "manual", payload: 1 });
    notEqual(a.id, b.id);
    equal(a.duplicate || b.duplicate, false);
    equal((await store.get(a.id))!.key, null);
    deepEqual((await store.get(a.id))!.headers, {});
  });

  await step("record() lets different triggers share a key", async (store) => {
    const a = await store.record(webhook("github", "shared"));
    const b = await store.record(webhook("stripe", "shared"));
    notEqual(a.id, b.id);
    equal(b.duplicate, false);
  });

  await step(
    "record() keeps a rejected delivery settled, with its error and replayOf",
    async (store) => {
      const original = await store.record(webhook("github", "d-1"));
      const { id, state } = await store.record(webhook("github", "d-2", {
        state: "rejected",
        error: "input: number expected",
        replayOf: original.id,
      }));
      equal(state, "rejected");
      const got = (await store.get(id))!;
      equal(got.error, "input: number expected");
      equal(got.replayOf, original.id);
      ok(got.settledAt !== null, "settled when recorded");
    },
  );

  await step(
    "record() refuses what no store can keep with a RangeError, writing nothing",
    async (store) => {
      const cyclic: Record<string, unknown> = {};
      cyclic["self"] = cyclic;
      const unstorable = [
        { payload: "a\u0000b" },
        { payload: { "\u0000": 1 } },
        { payload: ["\ud800"] },
        { payload: { run: () => 1 } },
        { payload: 10n },
        { payload: undefined },
        { payload: { n: Number.NaN } },
        { payload: cyclic },
        { headers: { "x-a": "b\u0000" } },
        { headers: { "x-a": 1 as unknown as string } },
        { key: "k\u0000" },
      ];
      for (const [i, overrides] of unstorable.entries()) {
        await rejects(
          store.record(webhook("github", `d-${i}`, overrides)),
          RangeError,
          `case ${i}`,
        );
      }
      await rejects(store.record(webhook("github", "c", { cursor: "\ud800" })), RangeError);
      deepEqual(await store.stats(), NONE);
      equal(await store.cursor("github"), null);
      equal((await store.record(webhook("github", "d-0"))).duplicate, false, "no key was taken");
    },
  );

  await step(
    "record() of one key by racing stores makes exactly one delivery",
    async (store, peer) => {
      const stores = [store, await peer(), store, await peer()];
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(
          stores.flatMap((s) => [1, 2].map(() => s.record(webhook("github", `race-${round}`)))),
        );
        equal(new Set(results.map(({ id }) => id)).size, 1, `round ${round}: one id`);
        equal(results.filter(({ duplicate }) => !duplicate).length, 1, `round ${round}: one new`);
      }
      equal((await store.stats()).pending, 5);
    },
  );
}
