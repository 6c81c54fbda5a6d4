import { equal, ok } from "node:assert/strict";
import { startProgram } from "../../../../../tests/support/process.ts";
import { openKvDeliveryStore } from "./mod.ts";

const PROCESS = new URL("./testdata/kv_delivery_process.ts", import.meta.url);
const PERMISSIONS = ["--unstable-kv", "--allow-read", "--allow-write"];

async function withKvFile(body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-triggers-" });
  try {
    await body(`${dir}/triggers.kv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openKvDeliveryStore(): processes racing to record one key make one delivery", () =>
  withKvFile(async (path) => {
    const store = await openKvDeliveryStore(path);
    try {
      await store.stats();
      const children = [1, 2, 3].map(() =>
        startProgram(PROCESS, { permissions: PERMISSIONS, args: ["record", path, "d-1"] })
      );
      const here = store.record({ trigger: "github", source: "webhook", key: "d-1", payload: 1 });
      const results: { id: string; duplicate: boolean }[] = [await here];
      for (const child of children) {
        await using running = child;
        const { recorded } = await running.waitForRecord((record) => "recorded" in record) as {
          recorded: { id: string; duplicate: boolean };
        };
        results.push(recorded);
        equal((await running.finished).code, 0);
      }
      equal(new Set(results.map(({ id }) => id)).size, 1, "one id");
      equal(results.filter(({ duplicate }) => !duplicate).length, 1, "one new delivery");
      equal((await store.list({ trigger: "github" })).total, 1);
    } finally {
      await store.close();
    }
  }));

Deno.test("openKvDeliveryStore(): a waiter in another process wakes on a record here", () =>
  withKvFile(async (path) => {
    const store = await openKvDeliveryStore(path);
    try {
      await store.stats();
      await using child = startProgram(PROCESS, { permissions: PERMISSIONS, args: ["wait", path] });
      await child.waitForRecord((record) => record.ready === true);
      const started = Date.now();
      await store.record({ trigger: "github", source: "webhook", key: "d-1", payload: 1 });
      await child.waitForRecord((record) => record.woke === true);
      ok(Date.now() - started < 20_000, "woken by the record, not the timeout");
      equal((await child.finished).code, 0, child.stderr.join("\n"));
    } finally {
      await store.close();
    }
  }));
