import { deepEqual, equal } from "node:assert/strict";
import { streamStoreConformance } from "../../testing/mod.ts";
import { createMemoryStreamStore } from "./mod.ts";

Deno.test("the memory stream store passes the stream store conformance suite", (t) =>
  streamStoreConformance(t, () => createMemoryStreamStore()));

Deno.test("the memory stream store hands out copies, so callers cannot change what it holds", async () => {
  const store = await createMemoryStreamStore();
  try {
    const data = new Uint8Array([1, 2, 3]);
    await store.commit([{
      kind: "put",
      expectedVersion: null,
      record: {
        path: "/v1/stream/copies",
        contentType: "application/octet-stream",
        createdAt: 1,
        accessedAt: 1,
        ttlSeconds: null,
        expiresAt: null,
        closed: false,
        closedBy: null,
        softDeleted: false,
        fork: null,
        forkCount: 0,
        tail: 3,
        trimmedTo: 0,
        lastSeq: null,
        producers: {},
        version: 1,
      },
      chunks: [{ start: 0, end: 3, data, committedAt: 1 }],
    }]);
    data[0] = 9;
    const [chunk] = await store.readChunks("/v1/stream/copies", 0, { maxBytes: 10 });
    chunk!.data[1] = 9;
    const record = await store.get("/v1/stream/copies");
    record!.producers["p"] = { epoch: 1, seq: 1, updatedAt: 1 };
    deepEqual([...(await store.readChunks("/v1/stream/copies", 0, { maxBytes: 10 }))[0]!.data], [
      1,
      2,
      3,
    ]);
    equal(Object.keys((await store.get("/v1/stream/copies"))!.producers).length, 0);
  } finally {
    await store.close();
  }
});
