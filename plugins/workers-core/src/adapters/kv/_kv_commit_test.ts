import { deepEqual, equal } from "node:assert/strict";
import { commitEach, JobOperation } from "./_kv_commit.ts";

Deno.test("JobOperation sums each counter's changes into one, and leaves a net zero unwritten", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.atomic().sum(["down"], 5n).commit();
    const op = new JobOperation(kv).set(["job"], "x");
    op.count(["up"], 1).count(["up"], 1).count(["up"], 1);
    op.count(["down"], -1).count(["down"], -1);
    op.count(["even"], 1).count(["even"], -1);
    equal((await op.commit()).ok, true);
    const [up, down, even, job] = await kv.getMany([["up"], ["down"], ["even"], ["job"]]);
    deepEqual([up.value, down.value, even.versionstamp, job.value], [
      new Deno.KvU64(3n),
      new Deno.KvU64(3n),
      null,
      "x",
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("commitEach() commits a group together, and a group whose check failed item by item", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const stale = { key: ["taken"], versionstamp: null };
    await kv.set(["taken"], "by someone else");
    const items = Array.from({ length: 12 }, (_, i) => i);
    const committed = await commitEach(kv, items, (op, i) => {
      if (i === 3) op.check(stale);
      op.set(["item", i], true).count(["items"], 1);
    });
    deepEqual(committed, items.filter((i) => i !== 3));
    equal((await kv.get(["items"])).value?.valueOf(), 11n);
  } finally {
    kv.close();
  }
});

Deno.test("commitEach() adds its shared checks to every operation, so a stale one commits nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const shared = await kv.get(["watched"]);
    const items = Array.from({ length: 12 }, (_, i) => i);
    const write = (op: JobOperation, i: number) => op.set(["item", i], true);
    deepEqual(await commitEach(kv, items.slice(0, 6), write, { checks: [shared] }), [
      0,
      1,
      2,
      3,
      4,
      5,
    ]);
    await kv.set(["watched"], "changed");
    deepEqual(await commitEach(kv, items.slice(6), write, { checks: [shared] }), []);
    equal((await Array.fromAsync(kv.list({ prefix: ["item"] }))).length, 6);
  } finally {
    kv.close();
  }
});
