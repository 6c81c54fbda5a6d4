import { equal, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import { createProtocolContext, type ProtocolContext } from "./context.ts";
import { type CreateRequest, createStream } from "./create_stream.ts";
import { deleteStream, expireStreams, loadLiveStream } from "./stream_lifecycle.ts";

async function withClock(
  body: (context: ProtocolContext, clock: { now: number }) => Promise<void>,
) {
  const store = await createMemoryStreamStore();
  const clock = { now: 1_700_000_000_000 };
  try {
    await body(createProtocolContext(store, { now: () => clock.now }), clock);
  } finally {
    await store.close();
  }
}

const create = (context: ProtocolContext, path: string, options: Partial<CreateRequest> = {}) =>
  createStream(context, {
    path,
    contentType: "text/plain",
    ttlSeconds: null,
    expiresAt: null,
    closed: false,
    body: new Uint8Array(),
    fork: null,
    ...options,
  });

Deno.test("a stream past its Stream-Expires-At is removed when next loaded", () =>
  withClock(async (context, clock) => {
    await create(context, "/e", { expiresAt: clock.now + 5_000 });
    clock.now += 4_999;
    equal((await loadLiveStream(context, "/e")).path, "/e");
    clock.now += 1;
    await rejects(
      loadLiveStream(context, "/e"),
      (error) => isNetScriptError(error, "STREAMS_NOT_FOUND"),
    );
    equal(await context.store.get("/e"), undefined);
  }));

Deno.test("an expired stream with a live fork is soft-deleted, and the fork keeps its own TTL", () =>
  withClock(async (context, clock) => {
    await create(context, "/src", { ttlSeconds: 2 });
    await create(context, "/fork", {
      contentType: null,
      ttlSeconds: 60,
      fork: { source: "/src", offset: null, subOffset: 0 },
    });
    clock.now += 3_000;
    await rejects(
      loadLiveStream(context, "/src"),
      (error) => isNetScriptError(error, "STREAMS_GONE"),
    );
    equal((await loadLiveStream(context, "/fork")).ttlSeconds, 60);
    await deleteStream(context, "/fork");
    equal(await context.store.get("/src"), undefined);
  }));

Deno.test("expireStreams() removes the expired streams nobody touched, and only those", () =>
  withClock(async (context, clock) => {
    await create(context, "/a", { ttlSeconds: 1 });
    await create(context, "/b", { ttlSeconds: 100 });
    await create(context, "/c");
    clock.now += 2_000;
    equal(await expireStreams(context.store, { now: () => clock.now }), 1);
    equal(await context.store.get("/a"), undefined);
    equal((await context.store.list({ limit: 10 })).length, 2);
  }));

Deno.test("deleting a soft-deleted stream again is refused with STREAMS_GONE", () =>
  withClock(async (context) => {
    await create(context, "/s");
    await create(context, "/f", {
      contentType: null,
      fork: { source: "/s", offset: null, subOffset: 0 },
    });
    await deleteStream(context, "/s");
    await rejects(deleteStream(context, "/s"), (error) => isNetScriptError(error, "STREAMS_GONE"));
    await rejects(
      create(context, "/s"),
      (error) => isNetScriptError(error, "STREAMS_CONFIG_MISMATCH"),
    );
  }));
