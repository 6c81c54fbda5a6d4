import { equal, ok } from "node:assert/strict";
import { waitForKvChange } from "./mod.ts";

async function withTwoHandles(
  fn: (mine: Deno.Kv, theirs: Deno.Kv) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-wait-" });
  const mine = await Deno.openKv(`${dir}/store.kv`);
  const theirs = await Deno.openKv(`${dir}/store.kv`);
  try {
    await fn(mine, theirs);
  } finally {
    mine.close();
    theirs.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const never = new AbortController().signal;

Deno.test("waitForKvChange() wakes on this handle's write at once", async () => {
  await withTwoHandles(async (mine) => {
    const seen = (await mine.get(["wake"])).versionstamp;
    const started = performance.now();
    setTimeout(() => mine.set(["wake"], 1), 20);
    const now = await waitForKvChange(mine, ["wake"], {
      seen,
      timeoutMs: 5_000,
      pollMs: 10_000,
      signal: never,
    });
    ok(now !== seen);
    ok(performance.now() - started < 1_000, "kv.watch, not the poll");
  });
});

Deno.test("waitForKvChange() sees another handle's write by polling", async () => {
  await withTwoHandles(async (mine, theirs) => {
    const seen = (await mine.get(["wake"])).versionstamp;
    setTimeout(() => theirs.set(["wake"], 1), 20);
    const now = await waitForKvChange(mine, ["wake"], {
      seen,
      timeoutMs: 5_000,
      pollMs: 50,
      signal: never,
    });
    equal(now, (await theirs.get(["wake"])).versionstamp);
  });
});

Deno.test("waitForKvChange() returns what it saw at its timeout or when aborted", async () => {
  await withTwoHandles(async (mine) => {
    const seen = (await mine.get(["wake"])).versionstamp;
    const started = performance.now();
    equal(
      await waitForKvChange(mine, ["wake"], { seen, timeoutMs: 80, pollMs: 20, signal: never }),
      seen,
    );
    ok(performance.now() - started >= 70);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    equal(
      await waitForKvChange(mine, ["wake"], {
        seen,
        timeoutMs: 5_000,
        pollMs: 20,
        signal: controller.signal,
      }),
      seen,
    );
  });
});
