/**
 * Conformance steps for records and commits: create, version checks,
 * all-or-nothing batches, delete and racing commits.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { StreamRecord } from "../ports/stream_store.ts";
import {
  append,
  assertChunks,
  chunk,
  createStream,
  snapshot,
  type Step,
  streamRecord,
} from "./_fixtures.ts";

/** A record with every optional field set, to show each one round-trips. */
const FULL: StreamRecord = streamRecord('/v1/stream/orders/ü näme\'s "x"', {
  contentType: "application/json; charset=utf-8",
  createdAt: 1_700_000_000_123,
  accessedAt: 1_700_000_005_456,
  ttlSeconds: 4_000_000_000,
  expiresAt: 1_900_000_000_789,
  closed: true,
  closedBy: { producerId: "p-1", epoch: 3, seq: 9_007_199_254_740_991 },
  softDeleted: true,
  fork: { source: "/v1/stream/base", position: 5_000_000_000 },
  forkCount: 2,
  tail: 6_000_000_000,
  trimmedTo: 5_500_000_000,
  lastSeq: "0000000042",
  producers: {
    "p-1": { epoch: 3, seq: 9_007_199_254_740_991, updatedAt: 1_700_000_004_000 },
    "p 2/ü": { epoch: 0, seq: 0, updatedAt: 1_700_000_000_001 },
  },
  version: 7,
});

/**
 * Runs the record and commit steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function commitSteps(step: Step): Promise<void> {
  await step("a created stream reads back exactly as given", async (store) => {
    equal(await store.get(FULL.path), undefined);
    ok(await store.commit([{ kind: "put", expectedVersion: null, record: FULL, chunks: [] }]));
    deepEqual(await store.get(FULL.path), FULL);
    const plain = await createStream(store, "/v1/stream/plain");
    deepEqual(await store.get("/v1/stream/plain"), plain);
    equal(await store.get("/v1/stream/pla"), undefined, "no prefix match");
  });

  await step("creating a stream that exists is refused and changes nothing", async (store) => {
    await createStream(store, "/s", [chunk(0, 3, "abc")]);
    const before = await snapshot(store, "/s");
    const again = streamRecord("/s", { contentType: "text/plain", tail: 1 });
    equal(
      await store.commit([{ kind: "put", expectedVersion: null, record: again, chunks: [] }]),
      false,
    );
    equal(
      await store.commit([
        { kind: "put", expectedVersion: null, record: again, chunks: [chunk(3, 4, "d")] },
      ]),
      false,
    );
    deepEqual(await snapshot(store, "/s"), before);
  });

  await step("a commit with a stale version writes nothing", async (store) => {
    const record = await createStream(store, "/s", [chunk(0, 3, "abc")]);
    ok(await store.commit([append(record, [chunk(3, 5, "de")])]));
    const before = await snapshot(store, "/s");
    equal(await store.commit([append(record, [chunk(5, 6, "f")])]), false, "version 1 is stale");
    deepEqual(await snapshot(store, "/s"), before);
    const ghost = streamRecord("/ghost", { version: 2 });
    equal(
      await store.commit([{ kind: "put", expectedVersion: 1, record: ghost, chunks: [] }]),
      false,
      "a version is expected but no stream exists",
    );
    equal(await store.get("/ghost"), undefined);
    equal(await store.commit([{ kind: "delete", path: "/ghost", expectedVersion: 1 }]), false);
  });

  await step("appends add chunks after the ones stored", async (store) => {
    let record = await createStream(store, "/s", [chunk(0, 2, "ab"), chunk(2, 3, "c")]);
    ok(await store.commit([append(record, [chunk(3, 5, "de")])]));
    record = (await store.get("/s"))!;
    equal(record.version, 2);
    equal(record.tail, 5);
    ok(await store.commit([append(record, [])]), "a commit may change the record alone");
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 1_000 }), [
      chunk(0, 2, "ab"),
      chunk(2, 3, "c"),
      chunk(3, 5, "de"),
    ]);
  });

  await step("a commit of several streams is all or nothing", async (store) => {
    const a = await createStream(store, "/a", [chunk(0, 1, "a")]);
    const b = await createStream(store, "/b", [chunk(0, 1, "b")]);
    ok(await store.commit([append(b, [chunk(1, 2, "B")])]));
    const before = { a: await snapshot(store, "/a"), b: await snapshot(store, "/b") };
    const fresh = streamRecord("/c");
    for (
      const batch of [
        [append(a, [chunk(1, 2, "A")]), append(b, [chunk(2, 3, "!")])],
        [
          {
            kind: "put" as const,
            expectedVersion: null,
            record: fresh,
            chunks: [chunk(0, 1, "c")],
          },
          append(b, []),
        ],
        [{ kind: "delete" as const, path: "/a", expectedVersion: 1 }, append(b, [])],
        [append(a, [chunk(1, 2, "A")]), {
          kind: "put" as const,
          expectedVersion: null,
          record: streamRecord("/b"),
          chunks: [],
        }],
      ]
    ) {
      equal(await store.commit(batch), false, "one stale write refuses the batch");
      deepEqual({ a: await snapshot(store, "/a"), b: await snapshot(store, "/b") }, before);
      deepEqual(await snapshot(store, "/c"), { record: undefined, chunks: [] });
    }
    const b2 = (await store.get("/b"))!;
    ok(
      await store.commit([
        append(a, [chunk(1, 2, "A")]),
        append(b2, [chunk(2, 3, "!")]),
        { kind: "put", expectedVersion: null, record: fresh, chunks: [chunk(0, 1, "c")] },
      ]),
    );
    equal((await store.get("/a"))!.version, 2);
    equal((await store.get("/b"))!.version, 3);
    deepEqual(await store.get("/c"), fresh);
    assertChunks(await store.readChunks("/b", 0, { maxBytes: 100 }), [
      chunk(0, 1, "b"),
      chunk(1, 2, "B"),
      chunk(2, 3, "!"),
    ]);
  });

  await step("delete removes the record and every chunk", async (store) => {
    const record = await createStream(store, "/s", [chunk(0, 3, "abc"), chunk(3, 4, "d")]);
    await createStream(store, "/s/child", [chunk(0, 1, "x")]);
    equal(await store.commit([{ kind: "delete", path: "/s", expectedVersion: 2 }]), false);
    ok(await store.get("/s"), "a stale delete leaves the stream");
    ok(await store.commit([{ kind: "delete", path: "/s", expectedVersion: record.version }]));
    deepEqual(await snapshot(store, "/s"), { record: undefined, chunks: [] });
    equal((await store.get("/s/child"))?.version, 1, "other streams stay");
    equal((await store.readChunks("/s/child", 0, { maxBytes: 10 })).length, 1);
    const again = await createStream(store, "/s", [chunk(0, 1, "z")]);
    deepEqual(await store.get("/s"), again, "the path can be created again");
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 100 }), [chunk(0, 1, "z")]);
  });

  await step("commits racing on one version: exactly one wins", async (store, peer) => {
    const other = await peer();
    const record = await createStream(store, "/s", [chunk(0, 1, "a")]);
    const racers = Array.from(
      { length: 8 },
      (_, i) => (i % 2 ? other : store).commit([append(record, [chunk(1, 2, String(i))])]),
    );
    const won = await Promise.all(racers);
    equal(won.filter(Boolean).length, 1, "one commit wins");
    const winner = won.indexOf(true);
    assertChunks(await store.readChunks("/s", 0, { maxBytes: 100 }), [
      chunk(0, 1, "a"),
      chunk(1, 2, String(winner)),
    ]);
    const creators = Array.from(
      { length: 8 },
      (_, i) =>
        (i % 2 ? other : store).commit([{
          kind: "put",
          expectedVersion: null,
          record: streamRecord("/new", { lastSeq: String(i), tail: 1 }),
          chunks: [chunk(0, 1, String(i))],
        }]),
    );
    const created = await Promise.all(creators);
    equal(created.filter(Boolean).length, 1, "one create wins");
    const first = created.indexOf(true);
    equal((await other.get("/new"))?.lastSeq, String(first));
    assertChunks(await other.readChunks("/new", 0, { maxBytes: 100 }), [
      chunk(0, 1, String(first)),
    ]);
  });
}
