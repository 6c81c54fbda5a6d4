import { deepEqual, equal, ok } from "node:assert/strict";
import { commitAtomic, isKvLimitError, readMany } from "./mod.ts";

Deno.test("readMany() reads more keys than one getMany takes, in order", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (let i = 0; i < 25; i += 5) await kv.set(["n", i], i);
    const entries = await readMany<number>(kv, Array.from({ length: 25 }, (_, i) => ["n", i]));
    deepEqual(entries.map((entry) => entry.value), [
      ...Array.from({ length: 25 }, (_, i) => i % 5 === 0 ? i : null),
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("commitAtomic() commits, reports a failed check, and isKvLimitError() spots KV's limits", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = { driver: "kv" as const, target: ":memory:" };
  try {
    equal((await commitAtomic(kv.atomic().set(["a"], 1), store)).ok, true);
    const stale = { key: ["a"], versionstamp: null };
    equal((await commitAtomic(kv.atomic().check(stale).set(["a"], 2), store)).ok, false);
    let refused: unknown;
    try {
      await commitAtomic(kv.atomic().set(["big"], "x".repeat(70_000)), store);
    } catch (error) {
      refused = error;
    }
    ok(isKvLimitError(refused), String(refused));
    equal(isKvLimitError(new Error("too large")), false);
  } finally {
    kv.close();
  }
});
