import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { SagaStore } from "../../ports/saga_store.ts";
import { MAX_SAGA_VALUE_BYTES } from "../../ports/saga_values.ts";
import { sagaStoreConformance } from "../../testing/mod.ts";
import { createKvSagaStore } from "./mod.ts";

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-sagas-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("createKvSagaStore() conforms to the saga store port, a second handle as the peer", (t) =>
  withDir(async (dir) => {
    const files = new Map<SagaStore, string>();
    let opened = 0;
    await sagaStoreConformance(
      t,
      async () => {
        const path = `${dir}/step-${opened++}.kv`;
        const store = await createKvSagaStore({ path });
        files.set(store, path);
        return store;
      },
      { peer: (store) => createKvSagaStore({ path: files.get(store)! }) },
    );
  }));

Deno.test("createKvSagaStore() conforms on a handle it is given, which close() leaves open", async (t) => {
  const handles: Deno.Kv[] = [];
  try {
    await sagaStoreConformance(t, async () => {
      const kv = await Deno.openKv(":memory:");
      handles.push(kv);
      return await createKvSagaStore({ kv });
    });
    for (const kv of handles) equal((await kv.get(["open"])).value, null, "still open");
  } finally {
    for (const kv of handles) kv.close();
  }
});

async function partCount(kv: Deno.Kv): Promise<number> {
  return (await Array.fromAsync(kv.list({ prefix: ["sagas", "part"] }))).length;
}

Deno.test("createKvSagaStore() keeps values over KV's 64 KiB value limit in parts, dropping replaced ones in the same commit", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = await createKvSagaStore({ kv });
  try {
    const big = JSON.stringify("ü€".repeat(80_000));
    const partsOfBig = Math.ceil(new TextEncoder().encode(big).byteLength / 65_000);
    ok(partsOfBig > 5);
    await store.start({ id: "s-1", name: "x", version: 1, input: big });
    equal(await partCount(kv), partsOfBig, "the input");
    await store.claim({ owner: "r", limit: 1, leaseMs: 60_000, names: ["x"] });
    const signal = (await store.signal("s-1", "approved", big))!;
    const step = {
      seq: 0,
      kind: "step",
      name: "charge",
      state: "completed",
      result: big,
      error: null,
      attempts: 1,
      compensates: null,
      wakeAt: null,
    } as const;
    ok((await store.commit("s-1", "r", { entries: [step] })).held);
    equal(await partCount(kv), 3 * partsOfBig, "input, payload and result");
    equal((await store.get("s-1"))!.entries[0]!.result, big);
    ok(
      (await store.commit("s-1", "r", {
        entries: [{ ...step, result: '"small"' }],
        takeSignal: signal.id,
      })).held,
    );
    equal(await partCount(kv), partsOfBig, "the replaced result and the taken payload are gone");
    ok((await store.commit("s-1", "r", { progress: { state: "completed", output: big } })).held);
    const { saga, entries } = (await store.get("s-1"))!;
    equal(saga.input, big);
    equal(saga.output, big);
    equal(entries[0]!.result, '"small"');
    equal(await partCount(kv), 2 * partsOfBig, "input and output");
  } finally {
    await store.close();
    kv.close();
  }
});

Deno.test("createKvSagaStore() refuses a commit over one atomic operation with a RangeError and writes nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = await createKvSagaStore({ kv });
  try {
    await store.start({ id: "s-1", name: "x", version: 1, input: "1" });
    await store.claim({ owner: "r", limit: 1, leaseMs: 60_000, names: ["x"] });
    const largest = JSON.stringify("x".repeat(MAX_SAGA_VALUE_BYTES - 2));
    const entries = [0, 1].map((seq) => ({
      seq,
      kind: "step",
      name: `step-${seq}`,
      state: "completed",
      result: largest,
      error: null,
      attempts: 1,
      compensates: null,
      wakeAt: null,
    } as const));
    await rejects(store.commit("s-1", "r", { entries }), RangeError);
    deepEqual((await store.get("s-1"))!.entries, [], "no entry written");
    equal(await partCount(kv), 0, "no part written");
    ok((await store.commit("s-1", "r", { entries: entries.slice(0, 1) })).held, "still held");
    equal((await store.get("s-1"))!.entries[0]!.result, largest);
  } finally {
    await store.close();
    kv.close();
  }
});

Deno.test("createKvSagaStore() reports a file that is not a KV store as STORE_UNAVAILABLE", () =>
  withDir(async (dir) => {
    const path = `${dir}/garbage.kv`;
    await Deno.writeTextFile(path, "not a database ".repeat(100));
    await rejects(createKvSagaStore({ path }), (error) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      equal(error.details.dependency, "saga store");
      return true;
    });
  }));

async function startClaimedX(store: SagaStore, id: string): Promise<void> {
  await store.start({ id, name: "x", version: 1, input: "1" });
  equal((await store.claim({ owner: "r", limit: 1, leaseMs: 60_000, names: ["x"] })).length, 1);
}

Deno.test("createKvSagaStore() honours a watch changed by another store after its commits read the old one", async () => {
  const kv = await Deno.openKv(":memory:");
  const [store, watcher] = [await createKvSagaStore({ kv }), await createKvSagaStore({ kv })];
  try {
    const done = { progress: { state: "completed" as const, output: "1" } };
    await startClaimedX(store, "before");
    ok((await store.commit("before", "r", done)).held, "read the watch: none");
    await watcher.watchStates([{ name: "x", state: "completed" }]);
    await startClaimedX(store, "watched");
    ok((await store.commit("watched", "r", done)).held, "a stale watch is not a lost lease");
    equal((await store.get("watched"))!.saga.state, "completed");
    await watcher.watchStates([]);
    await startClaimedX(store, "after");
    ok((await store.commit("after", "r", done)).held);
    deepEqual((await watcher.readStateEvents(10)).map((event) => event.subject), ["watched"]);
  } finally {
    await Promise.all([store.close(), watcher.close()]);
    kv.close();
  }
});

Deno.test("createKvSagaStore() keeps a state event's long error in parts of its own, removed with the event", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = await createKvSagaStore({ kv });
  try {
    const big = JSON.stringify("ü€".repeat(30_000));
    const partsOfBig = Math.ceil(new TextEncoder().encode(big).byteLength / 65_000);
    ok(partsOfBig > 1);
    await store.watchStates([{ name: "x", state: "compensated" }, { name: "x", state: "failed" }]);
    await startClaimedX(store, "s-1");
    ok((await store.commit("s-1", "r", { progress: { state: "compensating", error: big } })).held);
    ok((await store.commit("s-1", "r", { progress: { state: "compensated" } })).held);
    await startClaimedX(store, "s-2");
    ok((await store.commit("s-2", "r", { progress: { state: "failed", error: big } })).held);
    equal(await partCount(kv), 4 * partsOfBig, "each saga's error and each event's");
    ok(await store.retry("s-2"), "the retry drops the saga's error");
    const events = await store.readStateEvents(10);
    deepEqual(
      events.map((event) => [event.subject, event.state, event.error]),
      [["s-1", "compensated", big], ["s-2", "failed", big]],
    );
    await store.removeStateEvents(events.map((event) => event.id));
    deepEqual(await store.readStateEvents(10), []);
    equal(await partCount(kv), partsOfBig, "only the error of s-1 is left");
  } finally {
    await store.close();
    kv.close();
  }
});

Deno.test("createKvSagaStore() removes more state events than one KV operation holds, skipping unknown ids", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = await createKvSagaStore({ kv });
  try {
    await store.watchStates([{ name: "x", state: "failed" }, { name: "x", state: "failed" }]);
    const ids = Array.from({ length: 120 }, (_, i) => `s-${i}`);
    for (const id of ids) {
      await startClaimedX(store, id);
      ok((await store.commit(id, "r", { progress: { state: "failed", error: id } })).held);
    }
    const events = await store.readStateEvents(1_000);
    deepEqual(events.map((event) => event.error), ids);
    const kept = events.at(-1)!;
    await store.removeStateEvents([
      "unknown",
      ...events.slice(0, -1).map((event) => event.id),
      "0190c0de-0000-7000-8000-000000000000",
    ]);
    deepEqual(await store.readStateEvents(1_000), [kept]);
  } finally {
    await store.close();
    kv.close();
  }
});
