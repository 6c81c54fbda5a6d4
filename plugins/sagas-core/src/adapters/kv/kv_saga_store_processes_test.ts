import { equal, ok } from "node:assert/strict";
import { startProgram } from "../../../../../tests/support/process.ts";
import type { SagaStore } from "../../ports/saga_store.ts";
import { createKvSagaStore } from "./mod.ts";

const PROCESS = new URL("./testdata/kv_saga_process.ts", import.meta.url);
const PERMISSIONS = ["--unstable-kv", "--allow-read", "--allow-write"];

async function withKvFile(body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-sagas-" });
  try {
    await body(`${dir}/sagas.kv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function claimAll(store: SagaStore, owner: string): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const sagas = await store.claim({ owner, limit: 5, leaseMs: 60_000, names: ["x"] });
    if (sagas.length === 0) return claimed;
    for (const { saga } of sagas) {
      const outcome = await store.commit(saga.id, owner, { progress: { state: "completed" } });
      ok(outcome.held, `${owner} still holds ${saga.id}`);
      claimed.push(saga.id);
    }
  }
}

Deno.test("createKvSagaStore(): two handles and a second process on one file claim 200 sagas, each once", () =>
  withKvFile(async (path) => {
    const [a, b] = await Promise.all([
      createKvSagaStore({ path }),
      createKvSagaStore({ path }),
    ]);
    try {
      for (let i = 0; i < 200; i++) {
        await a.start({ id: `s-${i}`, name: "x", version: 1, input: String(i) });
      }
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["claim", path],
      });
      await child.waitForRecord((record) => record.ready === true);
      const [byA, byB] = await Promise.all([claimAll(a, "a"), claimAll(b, "b")]);
      const { claimed: byChild } = await child.waitForRecord((record) => "claimed" in record) as {
        claimed: string[];
      };
      equal((await child.finished).code, 0, child.stderr.join("\n"));
      const all = [...byA, ...byB, ...byChild];
      equal(new Set(all).size, all.length, "no saga claimed twice");
      equal(all.length, 200, "every saga claimed");
      ok(byChild.length > 0, "the second process took part");
      equal((await a.stats()).completed, 200);
      equal((await b.list({ state: "completed", limit: 0 })).total, 200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }));

Deno.test("createKvSagaStore(): waitForWork() in another process wakes on a start here", () =>
  withKvFile(async (path) => {
    const store = await createKvSagaStore({ path });
    try {
      await store.stats();
      await using child = startProgram(PROCESS, { permissions: PERMISSIONS, args: ["wait", path] });
      await child.waitForRecord((record) => record.ready === true);
      const started = Date.now();
      await store.start({ id: "s-1", name: "x", version: 1, input: "1" });
      const woke = await child.waitForRecord((record) => record.woke === true);
      ok(Date.now() - started < 20_000, "woken by the start, not the timeout");
      equal(woke.running, 1);
      equal((await child.finished).code, 0, child.stderr.join("\n"));
    } finally {
      await store.close();
    }
  }));

Deno.test("createKvSagaStore(): waitForWork() here wakes on a start by another process", () =>
  withKvFile(async (path) => {
    const store = await createKvSagaStore({ path });
    try {
      await store.waitForWork(0);
      const started = Date.now();
      const waiting = store.waitForWork(60_000);
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["start", path, "s-1"],
      });
      await child.waitForRecord((record) => "started" in record);
      await waiting;
      ok(Date.now() - started < 20_000, "woken by the other process, not the timeout");
      equal((await child.finished).code, 0, child.stderr.join("\n"));
      equal((await store.get("s-1"))?.saga.input, '"child"');
    } finally {
      await store.close();
    }
  }));

Deno.test("createKvSagaStore(): a commit here records a state event for a watch another process set after this store read the watch", () =>
  withKvFile(async (path) => {
    const store = await createKvSagaStore({ path });
    try {
      for (const id of ["before", "watched"]) {
        await store.start({ id, name: "x", version: 1, input: "1" });
      }
      equal((await store.claim({ owner: "a", limit: 2, leaseMs: 60_000, names: ["x"] })).length, 2);
      const done = { progress: { state: "completed" as const } };
      ok((await store.commit("before", "a", done)).held, "this store read the watch: none");
      await using child = startProgram(PROCESS, {
        permissions: PERMISSIONS,
        args: ["watch", path, "x", "completed"],
      });
      await child.waitForRecord((record) => record.watched === true);
      equal((await child.finished).code, 0, child.stderr.join("\n"));
      ok((await store.commit("watched", "a", done)).held, "a stale watch is not a lost lease");
      const events = await store.readStateEvents(10);
      equal(events.length, 1);
      equal(events[0]!.subject, "watched");
      equal(events[0]!.state, "completed");
    } finally {
      await store.close();
    }
  }));
