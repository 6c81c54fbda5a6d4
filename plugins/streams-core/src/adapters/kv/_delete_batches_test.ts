import { deepEqual, equal, ok } from "node:assert/strict";
import { KeySpace } from "./_key_space.ts";
import { createKvStreamStore } from "./mod.ts";
import { bytes, create, keysIn, record, withDir } from "./testdata/kv_fixtures.ts";

Deno.test("createKvStreamStore(): deleting a stream removes every key it had", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    const store = await createKvStreamStore({ path: file });
    try {
      await create(store, "/s", [bytes(0, 3), bytes(3, 5_000_000), bytes(5_000_003, 10)]);
      await store.touch("/s", 5);
      ok(await store.commit([{ kind: "delete", path: "/s", expectedVersion: 1 }]));
      deepEqual(await keysIn(file), []);
    } finally {
      await store.close();
    }
  }));

Deno.test("createKvStreamStore() sweeps what a process deleted but had not swept when it stopped", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    const store = await createKvStreamStore({ path: file });
    await create(store, "/s", [bytes(0, 3), bytes(3, 100_000)]);
    await create(store, "/kept", [bytes(0, 1)]);
    await store.close();
    const kv = await Deno.openKv(file);
    const keys = new KeySpace(["streams"]);
    const { value } = await kv.get<{ generation: string }>(keys.record("/s"));
    await kv.atomic()
      .delete(keys.record("/s"))
      .delete(keys.generation("/s"))
      .delete(keys.bytes("/s"))
      .delete(keys.chunkCount("/s"))
      .set(keys.trash("/s", value!.generation), true)
      .commit();
    kv.close();
    const reopened = await createKvStreamStore({ path: file });
    await reopened.close();
    const left = await keysIn(file);
    deepEqual(left.filter((key) => key.includes("/s")), [], "nothing of /s is left");
    ok(left.some((key) => key.includes("/kept")), "other streams stay");
  }));

Deno.test("createKvStreamStore(): dropChunks drops a chunk larger than one batch of deletions", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    const store = await createKvStreamStore({ path: file });
    try {
      await create(store, "/s", [bytes(0, 40_000_000), bytes(40_000_000, 1)]);
      equal(await store.dropChunks("/s", 40_000_000), 1);
      deepEqual(
        (await store.readChunks("/s", 0, { maxBytes: 10 })).map(({ start }) => start),
        [40_000_000],
      );
      const [summary] = await store.list({ limit: 1 });
      deepEqual([summary?.bytes, summary?.chunks], [1, 1]);
    } finally {
      await store.close();
    }
    const ends = (await keysIn(file)).filter((key) => key[1] === "chunk").map((key) => key[4]);
    ok(ends.length > 0, "the last chunk is kept");
    deepEqual(new Set(ends), new Set([40_000_001]), "every key of the dropped chunk is gone");
  }));

Deno.test("createKvStreamStore(): reads during retention on another handle return whole chunks", () =>
  withDir(async (dir) => {
    const file = `${dir}/streams.kv`;
    const [reader, dropper] = await Promise.all([
      createKvStreamStore({ path: file }),
      createKvStreamStore({ path: file }),
    ]);
    try {
      const size = 650_000;
      const chunks = Array.from({ length: 27 }, (_, i) => bytes(i * size, size, i));
      for (const [i, chunk] of chunks.entries()) {
        ok(
          await reader.commit([{
            kind: "put",
            expectedVersion: i === 0 ? null : i,
            record: record("/s", { tail: chunk.end, version: i + 1 }),
            chunks: [chunk],
          }]),
        );
      }
      let dropping = true;
      const drops = (async () => {
        for (let i = 3; i < chunks.length; i += 3) await dropper.dropChunks("/s", i * size);
        dropping = false;
      })();
      let reads = 0;
      while (dropping || reads === 0) {
        const found = await reader.readChunks("/s", 0, { maxBytes: 3 * size });
        reads++;
        equal(found.length, 3, "three whole chunks fit maxBytes");
        for (const [i, chunk] of found.entries()) {
          if (i > 0) equal(chunk.start, found[i - 1]!.end, "no gap between chunks");
          const index = chunk.start / size;
          equal(chunk.data.byteLength, size, `chunk ${index} is whole`);
          ok(chunk.data.every((byte) => byte === index), `chunk ${index} holds its own bytes`);
        }
      }
      await drops;
      deepEqual(
        (await reader.readChunks("/s", 0, { maxBytes: Number.MAX_SAFE_INTEGER })).map((c) =>
          c.start
        ),
        chunks.slice(24).map((c) => c.start),
      );
    } finally {
      await Promise.all([reader.close(), dropper.close()]);
    }
  }));
