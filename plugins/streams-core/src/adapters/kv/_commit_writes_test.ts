import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { StreamStore } from "../../ports/stream_store.ts";
import { KeySpace } from "./_key_space.ts";
import { createKvStreamStore } from "./mod.ts";
import { bytes, create, keysIn, record, withDir } from "./testdata/kv_fixtures.ts";

Deno.test("createKvStreamStore() refuses a commit of more chunks than one KV operation holds, writing nothing", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    const store = await createKvStreamStore({ path: file });
    try {
      await create(store, "/s", [bytes(0, 3)]);
      const before = await keysIn(file);
      const chunks = Array.from({ length: 1_100 }, (_, i) => bytes(3 + i, 1));
      await rejects(
        store.commit([{
          kind: "put",
          expectedVersion: 1,
          record: record("/s", { version: 2, tail: 1_103 }),
          chunks,
        }]),
        (error) => {
          ok(isNetScriptError(error, "STREAMS_PAYLOAD_TOO_LARGE"), String(error));
          deepEqual(error.details.paths, ["/s"]);
          ok(error.message.includes('"/s"'), error.message);
          return true;
        },
      );
      deepEqual(await keysIn(file), before, "no key was written");
      equal((await store.get("/s"))?.version, 1);
    } finally {
      await store.close();
    }
  }));

Deno.test("createKvStreamStore(): an append larger than one KV operation that loses its race leaves no data behind", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    const [a, b] = await Promise.all([
      createKvStreamStore({ path: file }),
      createKvStreamStore({ path: file }),
    ]);
    try {
      await create(a, "/s", [bytes(0, 10)]);
      const append = (store: StreamStore, fill: number) =>
        store.commit([{
          kind: "put",
          expectedVersion: 1,
          record: record("/s", { version: 2, tail: 10 + 1_000_000 }),
          chunks: [bytes(10, 1_000_000, fill)],
        }]);
      const won = await Promise.all([append(a, 1), append(b, 2)]);
      equal(won.filter(Boolean).length, 1, "one append wins");
      const [, big] = await a.readChunks("/s", 0, { maxBytes: 2_000_000 });
      ok(big!.data.every((byte) => byte === (won[0] ? 1 : 2)), "the winner's bytes, whole");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const parts = (await keysIn(file)).filter((key) => key[1] === "chunk" && key.length === 7);
    equal(parts.length, Math.ceil(1_000_000 / 65_536), "only the winner's parts are stored");
  }));

Deno.test("createKvStreamStore(): parts left by a process that stopped mid-append are never read, and go with the stream", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    let store = await createKvStreamStore({ path: file });
    await create(store, "/s", [bytes(0, 10, 1)]);
    await store.close();
    const kv = await Deno.openKv(file);
    const keys = new KeySpace(["streams"]);
    const { value } = await kv.get<{ generation: string }>(keys.record("/s"));
    const orphans = [10, 1_000_010].map((
      end,
    ) => [...keys.chunk("/s", value!.generation, end), "0123456789abcdef", 0]);
    for (const key of orphans) await kv.set(key, new Uint8Array(100).fill(9));
    kv.close();
    store = await createKvStreamStore({ path: file });
    try {
      const read = await store.readChunks("/s", 0, { maxBytes: 10_000_000 });
      deepEqual(read.map(({ start, end }) => [start, end]), [[0, 10]]);
      ok(read[0]!.data.every((byte) => byte === 1));
      ok(
        await store.commit([{
          kind: "put",
          expectedVersion: 1,
          record: record("/s", { version: 2, tail: 1_000_010 }),
          chunks: [bytes(10, 1_000_000, 2)],
        }]),
      );
      const [, appended] = await store.readChunks("/s", 0, { maxBytes: 10_000_000 });
      equal(appended?.data.byteLength, 1_000_000);
      ok(appended!.data.every((byte) => byte === 2), "the append's own parts, not the orphans");
      ok(await store.commit([{ kind: "delete", path: "/s", expectedVersion: 2 }]));
    } finally {
      await store.close();
    }
    deepEqual(await keysIn(file), []);
  }));
