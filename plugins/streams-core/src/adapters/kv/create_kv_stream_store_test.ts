import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { StreamStore } from "../../ports/stream_store.ts";
import { streamStoreConformance } from "../../testing/mod.ts";
import { createKvStreamStore } from "./mod.ts";
import { bytes, create, record, withDir } from "./testdata/kv_fixtures.ts";

Deno.test("createKvStreamStore() conforms to the stream store port, on a fresh KV file per step", (t) =>
  withDir(async (dir) => {
    const files = new Map<StreamStore, string>();
    let opened = 0;
    await streamStoreConformance(
      t,
      async () => {
        const path = `${dir}/step-${opened++}.kv`;
        const store = await createKvStreamStore({ path });
        files.set(store, path);
        return store;
      },
      { peer: (store) => createKvStreamStore({ path: files.get(store)! }) },
    );
  }));

Deno.test("createKvStreamStore(): stores with other prefixes share a file without seeing each other", () =>
  withDir(async (dir) => {
    const file = `${dir}/shared.kv`;
    const [a, b] = await Promise.all([
      createKvStreamStore({ path: file }),
      createKvStreamStore({ path: file, prefix: ["tenant-b", "streams"] }),
    ]);
    try {
      await create(a, "/s", [bytes(0, 1, 1)]);
      await create(b, "/s", [bytes(0, 2, 2)]);
      equal((await a.readChunks("/s", 0, { maxBytes: 10 }))[0]?.data.byteLength, 1);
      equal((await b.readChunks("/s", 0, { maxBytes: 10 }))[0]?.data.byteLength, 2);
      ok(await a.commit([{ kind: "delete", path: "/s", expectedVersion: 1 }]));
      equal((await b.list({ limit: 10 })).length, 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }));

Deno.test("createKvStreamStore() refuses a path too long for a KV key, and finds no stream there", () =>
  withDir(async (dir) => {
    const store = await createKvStreamStore({ path: `${dir}/streams.kv` });
    try {
      const path = `/v1/stream/${"x".repeat(2_000)}`;
      await rejects(
        store.commit([{ kind: "put", expectedVersion: null, record: record(path), chunks: [] }]),
        RangeError,
      );
      equal(await store.get(path), undefined);
      deepEqual(await store.readChunks(path, 0, { maxBytes: 10 }), []);
      equal(await store.dropChunks(path, 10), 0);
      await store.touch(path, 1);
      await store.waitForChange(path, 1, { timeoutMs: 60_000 });
      await create(store, "/v1/stream/y", []);
      deepEqual(await store.list({ prefix: path, limit: 10 }), []);
      const after = await store.list({ after: path, limit: 10 });
      deepEqual(after.map(({ record }) => record.path), ["/v1/stream/y"]);
    } finally {
      await store.close();
    }
  }));

Deno.test("createKvStreamStore() reports a file that is not a KV store as STORE_UNAVAILABLE", () =>
  withDir(async (dir) => {
    const path = `${dir}/garbage.kv`;
    await Deno.writeTextFile(path, "not a database ".repeat(100));
    await rejects(createKvStreamStore({ path }), (error) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      equal(error.details.path, path);
      equal(error.details.dependency, "stream store");
      return true;
    });
  }));
