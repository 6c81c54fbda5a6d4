/**
 * Conformance steps for a stream's data and the store's listing: chunk
 * reads, `maxBytes`, retention's `dropChunks`, `touch`, large chunks and
 * `list`.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  append,
  assertChunks,
  chunk,
  createStream,
  randomBytes,
  type Step,
  streamRecord,
} from "./_fixtures.ts";

const ALL = { maxBytes: Number.MAX_SAFE_INTEGER };

/**
 * Runs the chunk, touch and list steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function chunkSteps(step: Step): Promise<void> {
  await step("readChunks returns the chunks that end after from, in order", async (store) => {
    const chunks = [
      chunk(0, 3, "abc", 1_000),
      chunk(3, 5, "de", 2_000),
      chunk(5, 9, "fghi", 3_000),
    ];
    const record = await createStream(store, "/s", chunks.slice(0, 1));
    ok(await store.commit([append(record, chunks.slice(1))]));
    await createStream(store, "/s2", [chunk(0, 2, "zz")]);
    const cases: [number, number][] = [[0, 0], [2, 0], [3, 1], [4, 1], [5, 2], [8, 2], [9, 3]];
    for (const [from, first] of cases) {
      assertChunks(await store.readChunks("/s", from, ALL), chunks.slice(first));
    }
    deepEqual(await store.readChunks("/s", 100, ALL), []);
    deepEqual(await store.readChunks("/missing", 0, ALL), []);
  });

  await step("a JSON stream's positions count messages, not bytes", async (store) => {
    const chunks = [chunk(0, 2, '[{"a":1},"two"]'), chunk(2, 3, "[3]")];
    const record = streamRecord("/json", { contentType: "application/json", tail: 3 });
    ok(await store.commit([{ kind: "put", expectedVersion: null, record, chunks }]));
    assertChunks(await store.readChunks("/json", 1, ALL), chunks);
    assertChunks(await store.readChunks("/json", 2, ALL), chunks.slice(1));
  });

  await step("maxBytes bounds a read, but the first chunk always comes", async (store) => {
    const chunks = [chunk(0, 3, "abc"), chunk(3, 5, "de"), chunk(5, 9, "fghi")];
    await createStream(store, "/s", chunks);
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 1 }), chunks.slice(0, 1));
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 3 }), chunks.slice(0, 1));
    assertChunks(
      await store.readChunks("/s", 0, { maxBytes: 4 }),
      chunks.slice(0, 1),
      "a chunk that would take the read past maxBytes is left out",
    );
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 5 }), chunks.slice(0, 2));
    assertChunks(await store.readChunks("/s", 4, { maxBytes: 2 }), chunks.slice(1, 2));
    assertChunks(await store.readChunks("/s", 4, { maxBytes: 6 }), chunks.slice(1));
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 9 }), chunks);
  });

  await step("many small chunks read in order, up to maxBytes", async (store) => {
    const chunks = Array.from({ length: 1_500 }, (_, i) => chunk(i, i + 1, String(i % 10)));
    let record = await createStream(store, "/many", chunks.slice(0, 100));
    for (let at = 100; at < chunks.length; at += 100) {
      ok(await store.commit([append(record, chunks.slice(at, at + 100))]));
      record = (await store.get("/many"))!;
    }
    assertChunks(await store.readChunks("/many", 0, ALL), chunks);
    assertChunks(
      await store.readChunks("/many", 200, { maxBytes: 1_100 }),
      chunks.slice(200, 1_300),
    );
  });

  await step("dropChunks drops whole chunks below the position, and only those", async (store) => {
    const chunks = [chunk(0, 3, "abc"), chunk(3, 5, "de"), chunk(5, 9, "fghi")];
    const record = await createStream(store, "/s", chunks);
    await createStream(store, "/s/other", [chunk(0, 1, "x")]);
    equal(await store.dropChunks("/s", 4), 1, "[3, 5) reaches past 4 and stays");
    assertChunks(await store.readChunks("/s", 0, ALL), chunks.slice(1));
    equal(await store.dropChunks("/s", 5), 1);
    equal(await store.dropChunks("/s", 5), 0);
    assertChunks(await store.readChunks("/s", 0, ALL), chunks.slice(2));
    deepEqual(await store.get("/s"), record, "dropping chunks is not a commit");
    equal(await store.dropChunks("/missing", 10), 0);
    equal((await store.readChunks("/s/other", 0, ALL)).length, 1, "other streams keep theirs");
    const [summary] = await store.list({ prefix: "/s", limit: 1 });
    deepEqual([summary?.bytes, summary?.chunks], [4, 1], "sizes count what is left");
  });

  await step("a chunk of a few megabytes round-trips byte for byte", async (store) => {
    const big = [
      chunk(0, 4_000_000, randomBytes(4_000_000)),
      chunk(4_000_000, 5_000_001, randomBytes(1_000_001)),
    ];
    const record = await createStream(store, "/big", big.slice(0, 1));
    ok(await store.commit([append(record, big.slice(1))]));
    assertChunks(await store.readChunks("/big", 0, ALL), big);
    assertChunks(await store.readChunks("/big", 0, { maxBytes: 10 }), big.slice(0, 1));
    const [summary] = await store.list({ prefix: "/big", limit: 10 });
    equal(summary?.bytes, 5_000_001);
  });

  await step("touch sets accessedAt and keeps the version", async (store, peer) => {
    const record = await createStream(store, "/s");
    await store.touch("/s", 1_800_000_000_000);
    deepEqual(await store.get("/s"), { ...record, accessedAt: 1_800_000_000_000 });
    const other = await peer();
    const [committed] = await Promise.all([
      other.commit([append(record, [chunk(0, 1, "a")])]),
      store.touch("/s", 1_800_000_000_001),
    ]);
    ok(committed, "a touch does not refuse a commit");
    equal((await store.get("/s"))?.version, 2);
    await store.touch("/missing", 1);
    equal(await store.get("/missing"), undefined, "touching no stream creates none");
  });

  await step("list returns streams in path order with their sizes", async (store) => {
    const paths = ["/c", "/b/2", "/a", "/b/1", "/b/3", "/b"];
    for (const [i, path] of paths.entries()) {
      await createStream(store, path, [chunk(0, 2, "xy"), chunk(2, 3 + i, "z".repeat(i + 1))]);
    }
    const all = await store.list({ limit: 100 });
    deepEqual(all.map((s) => s.record.path), ["/a", "/b", "/b/1", "/b/2", "/b/3", "/c"]);
    for (const summary of all) {
      const i = paths.indexOf(summary.record.path);
      deepEqual(summary.record, await store.get(summary.record.path));
      deepEqual([summary.bytes, summary.chunks], [3 + i, 2]);
    }
    const names = async (options: Parameters<typeof store.list>[0]) =>
      (await store.list(options)).map((s) => s.record.path);
    deepEqual(await names({ prefix: "/b/", limit: 100 }), ["/b/1", "/b/2", "/b/3"]);
    deepEqual(await names({ prefix: "/b/", after: "/b/1", limit: 100 }), ["/b/2", "/b/3"]);
    deepEqual(await names({ prefix: "/b", limit: 2 }), ["/b", "/b/1"]);
    deepEqual(await names({ after: "/b/3", limit: 100 }), ["/c"]);
    deepEqual(await names({ after: "/c", limit: 100 }), []);
    deepEqual(await names({ prefix: "/d", limit: 100 }), []);
    deepEqual(await names({ prefix: "/b_", limit: 100 }), [], "a prefix is not a pattern");
  });
}
