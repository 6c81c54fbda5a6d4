/**
 * Conformance steps for reading the store (`list`, `stats`), the cursor
 * per trigger, and `prune`.
 *
 * @module
 */
import { deepEqual, equal } from "node:assert/strict";
import { sleep, type Step, webhook } from "./_fixtures.ts";

/**
 * Runs the `list`, `stats`, `cursor` and `prune` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function querySteps(step: Step): Promise<void> {
  await step(
    "list() filters by trigger and state, newest first, with paging and totals",
    async (store) => {
      const github: string[] = [];
      for (let i = 0; i < 5; i++) github.push((await store.record(webhook("github", `g-${i}`))).id);
      const stripe =
        (await store.record(webhook("stripe", "s-1", { state: "rejected", error: "x" })))
          .id;
      const all = await store.list();
      deepEqual(all.items.map(({ id }) => id), [stripe, ...[...github].reverse()]);
      equal(all.total, 6);
      const page = await store.list({ trigger: "github", limit: 2, offset: 1 });
      deepEqual(page.items.map(({ id }) => id), [github[3], github[2]]);
      equal(page.total, 5);
      deepEqual((await store.list({ state: "rejected" })).items.map(({ id }) => id), [stripe]);
      deepEqual(await store.list({ trigger: "stripe", state: "pending" }), { items: [], total: 0 });
      deepEqual(await store.list({ trigger: "github", offset: 10 }), { items: [], total: 5 });
      deepEqual(await store.list({ trigger: "nobody" }), { items: [], total: 0 });
      await store.claim({ owner: "p1", limit: 2, leaseMs: 60_000 });
      await store.settle(github[0]!, "p1", { state: "skipped" });
      const pending = await store.list({ trigger: "github", state: "pending" });
      deepEqual(pending.items.map(({ id }) => id), [...github.slice(1)].reverse());
      equal(pending.total, 4);
      equal((await store.list({ state: "skipped" })).total, 1);
      deepEqual((await store.list({ limit: 1 })).items[0]?.payload, {
        action: "opened",
        number: 7,
      });
    },
  );

  await step("stats() counts deliveries by state", async (store) => {
    deepEqual(await store.stats(), {
      pending: 0,
      dispatched: 0,
      skipped: 0,
      rejected: 0,
      failed: 0,
    });
    for (let i = 0; i < 4; i++) await store.record(webhook("github", `d-${i}`));
    await store.record(webhook("github", "bad", { state: "rejected", error: "x" }));
    const claimed = await store.claim({ owner: "p1", limit: 3, leaseMs: 60_000 });
    const target = { kind: "job" as const, name: "sync", id: "j" };
    await store.settle(claimed[0]!.id, "p1", { state: "dispatched", target });
    await store.settle(claimed[1]!.id, "p1", { state: "failed", error: "no" });
    await store.settle(claimed[2]!.id, "p1", { state: "skipped" });
    deepEqual(await store.stats(), {
      pending: 1,
      dispatched: 1,
      skipped: 1,
      rejected: 1,
      failed: 1,
    });
  });

  await step("the cursor moves only forward, and only with a recorded delivery", async (store) => {
    equal(await store.cursor("cron"), null);
    await store.record({
      trigger: "cron",
      source: "cron",
      key: "t2",
      payload: 2,
      cursor: "2026-01-02",
    });
    equal(await store.cursor("cron"), "2026-01-02");
    await store.record({
      trigger: "cron",
      source: "cron",
      key: "t1",
      payload: 1,
      cursor: "2026-01-01",
    });
    equal(await store.cursor("cron"), "2026-01-02", "never backwards");
    await store.record({
      trigger: "cron",
      source: "cron",
      key: "t2",
      payload: 2,
      cursor: "2026-01-09",
    });
    equal(await store.cursor("cron"), "2026-01-02", "a duplicate moves nothing");
    await store.record({ trigger: "cron", source: "cron", key: "t3", payload: 3 });
    equal(await store.cursor("cron"), "2026-01-02");
    await store.record({
      trigger: "cron",
      source: "cron",
      key: "t3b",
      payload: 3,
      cursor: "2026-01-03",
    });
    equal(await store.cursor("cron"), "2026-01-03");
    equal(await store.cursor("other"), null, "per trigger");
  });

  await step(
    "prune() removes only settled deliveries older than the cut, and frees their keys",
    async (store) => {
      const old = await store.record(webhook("github", "old"));
      const stuck = await store.record(webhook("github", "stuck"));
      const rejected = await store.record(
        webhook("github", "bad", { state: "rejected", error: "x" }),
      );
      await store.claim({ owner: "p1", limit: 1, leaseMs: 60_000 });
      await store.settle(old.id, "p1", { state: "skipped" });
      await sleep(20);
      const cut = new Date();
      await sleep(20);
      const recent = await store.record(webhook("github", "recent"));
      await store.claim({ owner: "p1", limit: 2, leaseMs: 60_000 });
      await store.settle(recent.id, "p1", { state: "skipped" });
      equal(await store.prune(cut), 2);
      equal(await store.get(old.id), null);
      equal(await store.get(rejected.id), null);
      equal((await store.get(stuck.id))?.state, "pending", "pending deliveries stay");
      equal((await store.get(recent.id))?.state, "skipped", "newer deliveries stay");
      deepEqual(await store.stats(), {
        pending: 1,
        dispatched: 0,
        skipped: 1,
        rejected: 0,
        failed: 0,
      });
      equal((await store.list({ trigger: "github" })).total, 2);
      const again = await store.record(webhook("github", "old"));
      equal(again.duplicate, false, "a pruned key is free again");
      equal((await store.record(webhook("github", "stuck"))).duplicate, true);
      equal(await store.prune(cut), 0);
    },
  );
}
