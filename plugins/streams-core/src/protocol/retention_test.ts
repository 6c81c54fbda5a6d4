import { deepEqual, equal, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import type { StreamRecord } from "../ports/stream_store.ts";
import { appendToStream } from "./append_stream.ts";
import { createProtocolContext, type ProtocolContext } from "./context.ts";
import { createStream } from "./create_stream.ts";
import { joinSlices } from "./read_range.ts";
import { readStream } from "./read_stream.ts";
import { applyRetention, retentionFloors } from "./retention.ts";

const text = (value: string) => new TextEncoder().encode(value);

async function withClock(
  body: (context: ProtocolContext, clock: { now: number }) => Promise<void>,
) {
  const store = await createMemoryStreamStore();
  const clock = { now: 1_000_000 };
  try {
    await body(createProtocolContext(store, { now: () => clock.now }), clock);
  } finally {
    await store.close();
  }
}

async function stream(context: ProtocolContext, path: string, ...parts: string[]) {
  await createStream(context, {
    path,
    contentType: "text/plain",
    ttlSeconds: null,
    expiresAt: null,
    closed: false,
    body: new Uint8Array(),
    fork: null,
  });
  for (const part of parts) {
    await appendToStream(context, {
      path,
      contentType: "text/plain",
      body: text(part),
      close: false,
      seq: null,
      producer: null,
    });
  }
}

async function readAll(context: ProtocolContext, path: string) {
  const read = await readStream(context, { path, offset: { kind: "start" }, maxBytes: 1 << 20 });
  return { start: read.start, text: new TextDecoder().decode(joinSlices(read.slices, false)) };
}

Deno.test("applyRetention() by size drops the oldest whole chunks until the stream fits", () =>
  withClock(async (context) => {
    await stream(context, "/v1/stream/size", "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc");
    deepEqual(await applyRetention(context.store, { maxBytes: 15 }), {
      streamsTrimmed: 1,
      chunksDropped: 2,
    });
    deepEqual(await readAll(context, "/v1/stream/size"), { start: 20, text: "cccccccccc" });
    await rejects(
      readStream(context, {
        path: "/v1/stream/size",
        offset: { kind: "position", position: 10 },
        maxBytes: 100,
      }),
      (error) => isNetScriptError(error, "STREAMS_OFFSET_GONE"),
    );
    deepEqual(await applyRetention(context.store, { maxBytes: 15 }), {
      streamsTrimmed: 0,
      chunksDropped: 0,
    });
  }));

Deno.test("applyRetention() by age drops the chunks committed before the cut-off, oldest first", () =>
  withClock(async (context, clock) => {
    await stream(context, "/v1/stream/age", "old");
    clock.now += 1_000;
    await appendToStream(context, {
      path: "/v1/stream/age",
      contentType: "text/plain",
      body: text("mid"),
      close: false,
      seq: null,
      producer: null,
    });
    clock.now += 5_000;
    await appendToStream(context, {
      path: "/v1/stream/age",
      contentType: "text/plain",
      body: text("new"),
      close: false,
      seq: null,
      producer: null,
    });
    deepEqual(await applyRetention(context.store, { maxAgeMs: 2_000 }, { now: () => clock.now }), {
      streamsTrimmed: 1,
      chunksDropped: 2,
    });
    deepEqual(await readAll(context, "/v1/stream/age"), { start: 6, text: "new" });
  }));

Deno.test("applyRetention() never drops source data a live fork still reads", () =>
  withClock(async (context) => {
    await stream(context, "/v1/stream/src", "aaaaaaaaaa", "bbbbbbbbbb");
    await createStream(context, {
      path: "/v1/stream/fork",
      contentType: null,
      ttlSeconds: null,
      expiresAt: null,
      closed: false,
      body: text("ff"),
      fork: { source: "/v1/stream/src", offset: { kind: "position", position: 10 }, subOffset: 0 },
    });
    await appendToStream(context, {
      path: "/v1/stream/src",
      contentType: "text/plain",
      body: text("cccccccccc"),
      close: false,
      seq: null,
      producer: null,
    });
    await applyRetention(context.store, { maxBytes: 1 }, { prefix: "/v1/stream/src" });
    equal((await context.store.get("/v1/stream/src"))!.trimmedTo, 0);
    deepEqual(await readAll(context, "/v1/stream/fork"), { start: 0, text: "aaaaaaaaaaff" });
    await applyRetention(context.store, { maxBytes: 1 });
    deepEqual(await readAll(context, "/v1/stream/fork"), { start: 12, text: "" });
    await applyRetention(context.store, { maxBytes: 1 });
    deepEqual(await readAll(context, "/v1/stream/src"), { start: 30, text: "" });
  }));

Deno.test("applyRetention() without limits changes nothing", () =>
  withClock(async (context) => {
    await stream(context, "/v1/stream/keep", "data");
    deepEqual(await applyRetention(context.store, {}), { streamsTrimmed: 0, chunksDropped: 0 });
    deepEqual(await readAll(context, "/v1/stream/keep"), { start: 0, text: "data" });
  }));

Deno.test("retentionFloors() follows fork chains to the oldest position still served", () => {
  const record = (
    path: string,
    fork: StreamRecord["fork"],
    trimmedTo = 0,
    softDeleted = false,
  ): StreamRecord => ({
    path,
    contentType: "text/plain",
    createdAt: 0,
    accessedAt: 0,
    ttlSeconds: null,
    expiresAt: null,
    closed: false,
    closedBy: null,
    softDeleted,
    fork,
    forkCount: 0,
    tail: 100,
    trimmedTo,
    lastSeq: null,
    producers: {},
    version: 1,
  });
  const floors = retentionFloors([
    record("/a", null),
    record("/b", { source: "/a", position: 50 }, 0, true),
    record("/c", { source: "/b", position: 80 }, 30),
    record("/d", { source: "/a", position: 10 }, 20),
  ]);
  deepEqual(floors, new Map([["/a", 30], ["/b", 30]]));
});
