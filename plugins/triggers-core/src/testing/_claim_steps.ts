/**
 * Conformance steps for `claim` and `settle`: claim order and limits,
 * leases and their expiry, settling only by the owner, and retries.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { sleep, type Step, webhook } from "./_fixtures.ts";

const LEASE = { limit: 10, leaseMs: 60_000 };

/**
 * Runs the `claim` and `settle` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function claimSteps(step: Step): Promise<void> {
  await step(
    "claim() takes pending deliveries in receipt order, up to the limit, and leases them",
    async (store) => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await store.record(webhook("github", `d-${i}`))).id);
      await store.record(webhook("github", "bad", { state: "rejected", error: "bad input" }));
      equal((await store.claim({ owner: "p1", limit: 0, leaseMs: 60_000 })).length, 0);
      const first = await store.claim({ owner: "p1", limit: 3, leaseMs: 60_000 });
      deepEqual(first.map(({ id }) => id), ids.slice(0, 3));
      for (const claimed of first) {
        equal(claimed.attempts, 1);
        equal(claimed.leaseOwner, "p1");
        ok(claimed.leaseExpiresAt!.getTime() > Date.now() + 30_000, "leased for the lease time");
        deepEqual(claimed.payload, { action: "opened", number: 7 });
        deepEqual(claimed.headers, { "x-github-event": "pull_request" });
      }
      equal((await store.get(ids[0]!))!.leaseOwner, "p1");
      const rest = await store.claim({ owner: "p2", ...LEASE });
      deepEqual(
        rest.map(({ id }) => id),
        ids.slice(3),
        "held and rejected deliveries are not claimed",
      );
      deepEqual(await store.claim({ owner: "p3", ...LEASE }), []);
    },
  );

  await step(
    "a lease that runs out lets another owner claim, counting the attempt",
    async (store) => {
      const { id } = await store.record(webhook("github", "d-1"));
      equal((await store.claim({ owner: "p1", limit: 1, leaseMs: 50 })).length, 1);
      await sleep(150);
      const [again] = await store.claim({ owner: "p2", ...LEASE });
      equal(again?.id, id);
      equal(again?.attempts, 2);
      equal(again?.leaseOwner, "p2");
      equal(await store.settle(id, "p1", { state: "skipped" }), false, "p1 lost it");
      ok(await store.settle(id, "p2", { state: "skipped" }));
    },
  );

  await step(
    "settle() by an owner that does not hold the delivery returns false and writes nothing",
    async (store) => {
      const { id } = await store.record(webhook("github", "d-1"));
      equal(await store.settle(id, "p1", { state: "skipped" }), false, "not claimed yet");
      await store.claim({ owner: "p1", ...LEASE });
      const before = await store.get(id);
      equal(await store.settle(id, "p2", { state: "failed", error: "no" }), false);
      equal(
        await store.settle("00000000-0000-7000-8000-000000000000", "p1", { state: "skipped" }),
        false,
      );
      equal(await store.settle("not an id", "p1", { state: "skipped" }), false);
      deepEqual(await store.get(id), before);
    },
  );

  await step(
    "settle() records each outcome, a job or a saga target, and releases the lease",
    async (store) => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await store.record(webhook("github", `d-${i}`))).id);
      await store.claim({ owner: "p1", ...LEASE });
      const target = { kind: "job" as const, name: "sync-pr", id: "job-1" };
      const saga = { kind: "saga" as const, name: "refund", id: `trigger-delivery-${ids[3]}` };
      ok(await store.settle(ids[0]!, "p1", { state: "dispatched", target }));
      ok(await store.settle(ids[1]!, "p1", { state: "skipped" }));
      ok(await store.settle(ids[2]!, "p1", { state: "failed", error: "bad\u0000gateway" }));
      ok(await store.settle(ids[3]!, "p1", { state: "dispatched", target: saga }));
      const [dispatched, skipped, failed, started] = await Promise.all(
        ids.map((id) => store.get(id)),
      );
      equal(dispatched!.state, "dispatched");
      deepEqual(dispatched!.target, target);
      equal(started!.state, "dispatched");
      deepEqual(started!.target, saga, "a saga target is kept as it is");
      equal(skipped!.state, "skipped");
      equal(failed!.state, "failed");
      equal(failed!.error, "bad\uFFFDgateway", "an unstorable error is stored with U+FFFD");
      for (const settled of [dispatched!, skipped!, failed!]) {
        equal(settled.leaseOwner, null);
        equal(settled.leaseExpiresAt, null);
        ok(settled.settledAt !== null);
      }
      equal(await store.settle(ids[0]!, "p1", { state: "skipped" }), false, "settled once");
      deepEqual(await store.claim({ owner: "p1", ...LEASE }), []);
    },
  );

  await step("a retry is not claimable before its retryAt, and is after", async (store) => {
    const { id } = await store.record(webhook("github", "later"));
    await store.claim({ owner: "p1", ...LEASE });
    const retryAt = new Date(Date.now() + 60_000);
    ok(await store.settle(id, "p1", { state: "pending", error: "timeout", retryAt }));
    const waiting = (await store.get(id))!;
    equal(waiting.state, "pending");
    equal(waiting.error, "timeout");
    equal(waiting.runAt.getTime(), retryAt.getTime());
    equal(waiting.leaseOwner, null);
    equal(waiting.settledAt, null);
    deepEqual(await store.claim({ owner: "p2", ...LEASE }), []);
    const { id: soon } = await store.record(webhook("github", "soon"));
    await store.claim({ owner: "p2", ...LEASE });
    ok(
      await store.settle(soon, "p2", {
        state: "pending",
        error: "timeout",
        retryAt: new Date(Date.now() - 1_000),
      }),
    );
    const [retried] = await store.claim({ owner: "p3", ...LEASE });
    equal(retried?.id, soon);
    equal(retried?.attempts, 2);
    equal(retried?.error, "timeout");
  });

  await step("a delivery recorded with a later runAt is not claimable before it", async (store) => {
    const later = new Date(Date.now() + 60_000);
    const { id } = await store.record(webhook("cron", "tick-1", { runAt: later }));
    equal((await store.get(id))!.runAt.getTime(), later.getTime());
    deepEqual(await store.claim({ owner: "p1", ...LEASE }), []);
    const { id: due } = await store.record(
      webhook("cron", "tick-0", { runAt: new Date(Date.now() - 1_000) }),
    );
    deepEqual((await store.claim({ owner: "p1", ...LEASE })).map((claimed) => claimed.id), [due]);
  });
}
