import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { z } from "zod";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import { createDurableStreamsHandler } from "../protocol/durable_streams_handler.ts";
import type { StreamStore } from "../ports/stream_store.ts";
import { createDurableStream, type StreamFetch } from "./create_durable_stream.ts";

const Order = z.object({ id: z.string(), total: z.number() });

async function withHandler(
  body: (handler: StreamFetch, store: StreamStore) => Promise<void>,
): Promise<void> {
  const store = await createMemoryStreamStore();
  try {
    await body(createDurableStreamsHandler({ store, longPollTimeoutMs: 200 }), store);
  } finally {
    await store.close();
  }
}

function orders(fetch: StreamFetch, extra: { producerId?: string; epoch?: number } = {}) {
  return createDurableStream({
    topic: "orders",
    schema: Order,
    url: "http://in-process",
    fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
}

async function readAll<T>(stream: { read(): AsyncIterable<{ messages: T[] }> }): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of stream.read()) all.push(...batch.messages);
  return all;
}

Deno.test("createDurableStream() appends typed messages and reads them back in order", async () => {
  await withHandler(async (handler) => {
    const stream = orders(handler);
    await stream.create();
    await stream.create();
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => stream.append({ id: `o-${i}`, total: i })),
    );
    ok(acks.some((ack) => ack.batchSize > 1), "appends made while one is in flight are batched");
    deepEqual(
      (await readAll(stream)).map((order) => order.id),
      Array.from({ length: 50 }, (_, i) => `o-${i}`),
    );
  });
});

Deno.test("createDurableStream() refuses a message its schema refuses, and sends nothing", async () => {
  await withHandler(async (handler) => {
    const sent: string[] = [];
    const stream = orders((request) => {
      sent.push(request.method);
      return handler(request);
    });
    await stream.create();
    await rejects(
      stream.append({ id: "o-1", total: "12" } as unknown as z.input<typeof Order>),
      (error) => isNetScriptError(error, "STREAMS_INVALID_MESSAGE") && /total/.test(error.message),
    );
    deepEqual(sent, ["PUT"]);
  });
});

Deno.test("an append whose answer is lost is retried and written exactly once", async () => {
  await withHandler(async (handler) => {
    let dropped = 0;
    const stream = orders(async (request) => {
      const response = await handler(request);
      if (request.method === "POST" && dropped < 2) {
        dropped++;
        throw new TypeError("connection reset after the server answered");
      }
      return response;
    });
    await stream.create();
    await stream.append({ id: "once", total: 1 });
    await stream.append({ id: "twice", total: 2 });
    equal(dropped, 2);
    deepEqual((await readAll(stream)).map((order) => order.id), ["once", "twice"]);
  });
});

Deno.test("a producer fenced by a newer one with its id fails, and so do its later appends", async () => {
  await withHandler(async (handler) => {
    const old = orders(handler, { producerId: "checkout", epoch: 1 });
    await old.create();
    await old.append({ id: "a", total: 1 });
    const newer = orders(handler, { producerId: "checkout", epoch: 2 });
    await newer.append({ id: "b", total: 2 });
    await rejects(
      old.append({ id: "c", total: 3 }),
      (error) => isNetScriptError(error, "STREAMS_PRODUCER_FENCED"),
    );
    await rejects(
      old.append({ id: "d", total: 4 }),
      (error) => isNetScriptError(error, "STREAMS_PRODUCER_FENCED"),
    );
    deepEqual((await readAll(newer)).map((order) => order.id), ["a", "b"]);
  });
});

Deno.test("a first append fenced by an earlier run's epoch claims the next epoch", async () => {
  await withHandler(async (handler) => {
    const earlier = orders(handler, { producerId: "importer", epoch: 10 });
    await earlier.create();
    await earlier.append({ id: "a", total: 1 });
    const restarted = orders(handler, { producerId: "importer", epoch: 3 });
    await restarted.append({ id: "b", total: 2 });
    deepEqual((await readAll(restarted)).map((order) => order.id), ["a", "b"]);
    await rejects(
      earlier.append({ id: "c", total: 3 }),
      (error) => isNetScriptError(error, "STREAMS_PRODUCER_FENCED"),
    );
  });
});

Deno.test("a live read waits for new messages and ends when the stream is closed", async () => {
  await withHandler(async (handler) => {
    const writer = orders(handler);
    await writer.create();
    await writer.append({ id: "before", total: 0 });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const batch of orders(handler).read({ live: true })) {
        seen.push(...batch.messages.map((order) => order.id));
      }
    })();
    await writer.append({ id: "during", total: 1 });
    await writer.closeStream();
    await reading;
    deepEqual(seen, ["before", "during"]);
  });
});

Deno.test("a read from an offset resumes after what was read; from now skips history", async () => {
  await withHandler(async (handler) => {
    const stream = orders(handler);
    await stream.create();
    const first = await stream.append({ id: "a", total: 1 });
    await stream.append({ id: "b", total: 2 });
    const resumed: string[] = [];
    for await (const batch of stream.read({ from: first.offset })) {
      resumed.push(...batch.messages.map((order) => order.id));
    }
    deepEqual(resumed, ["b"]);
    const fromNow: string[] = [];
    for await (const batch of stream.read({ from: "now" })) {
      fromNow.push(...batch.messages.map((order) => order.id));
    }
    deepEqual(fromNow, []);
  });
});

Deno.test("createDurableStream() names what went wrong when the stream is missing or unreachable", async (t) => {
  await withHandler(async (handler) => {
    await t.step("a missing stream", async () => {
      await rejects(
        orders(handler).append({ id: "a", total: 1 }),
        (error) => isNetScriptError(error, "STREAMS_NOT_FOUND") && /orders/.test(error.message),
      );
    });
    await t.step("a name taken by a stream of another content type", async () => {
      await handler(
        new Request("http://in-process/v1/stream/raw", {
          method: "PUT",
          headers: { "content-type": "text/plain" },
        }),
      );
      await rejects(
        createDurableStream({
          topic: "raw",
          schema: Order,
          url: "http://in-process",
          fetch: handler,
        }).create(),
        (error) => isNetScriptError(error, "STREAMS_CONFIG_MISMATCH"),
      );
    });
    await t.step("a server that cannot be reached, without the URL's password", async () => {
      const stream = createDurableStream({
        topic: "orders",
        schema: Order,
        url: "http://user:hunter2@127.0.0.1:9",
        retry: { attempts: 2, baseDelayMs: 1 },
      });
      await rejects(
        stream.append({ id: "a", total: 1 }),
        (error) =>
          isNetScriptError(error, "STREAMS_UNREACHABLE") && !error.message.includes("hunter2"),
      );
    });
  });
});
