import { deepEqual, equal, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import { type AppendRequest, appendToStream } from "./append_stream.ts";
import { createProtocolContext, type ProtocolContext } from "./context.ts";
import { createStream } from "./create_stream.ts";
import { joinSlices } from "./read_range.ts";
import { readStream } from "./read_stream.ts";

const text = (value: string) => new TextEncoder().encode(value);

async function withStream(contentType: string, body: (context: ProtocolContext) => Promise<void>) {
  const store = await createMemoryStreamStore();
  const context = createProtocolContext(store);
  try {
    await createStream(context, {
      path: "/a",
      contentType,
      ttlSeconds: null,
      expiresAt: null,
      closed: false,
      body: new Uint8Array(),
      fork: null,
    });
    await body(context);
  } finally {
    await store.close();
  }
}

const append = (
  context: ProtocolContext,
  request: Partial<Omit<AppendRequest, "body">> & { body: string },
) =>
  appendToStream(context, {
    path: "/a",
    contentType: "text/plain",
    close: false,
    seq: null,
    producer: null,
    ...request,
    body: text(request.body),
  });

async function content(context: ProtocolContext): Promise<string> {
  const read = await readStream(context, {
    path: "/a",
    offset: { kind: "start" },
    maxBytes: 1 << 20,
  });
  return new TextDecoder().decode(
    joinSlices(read.slices, read.record.contentType === "application/json"),
  );
}

Deno.test("appends racing from several processes all land, each once, at distinct positions", () =>
  withStream("text/plain", async (context) => {
    const processes = [
      context,
      createProtocolContext(context.store),
      createProtocolContext(context.store),
    ];
    const results = await Promise.all(
      Array.from(
        { length: 30 },
        (_, index) => append(processes[index % 3]!, { body: `<${index}>` }),
      ),
    );
    const tails = results.map((result) => result.record.tail);
    equal(new Set(tails).size, 30);
    const stored = await content(context);
    for (let index = 0; index < 30; index++) {
      equal(stored.split(`<${index}>`).length, 2, `<${index}>`);
    }
  }));

Deno.test("Stream-Seq must grow byte by byte; a refused append changes nothing", () =>
  withStream("text/plain", async (context) => {
    await append(context, { body: "a", seq: "09" });
    await append(context, { body: "b", seq: "10" });
    await rejects(
      append(context, { body: "c", seq: "10" }),
      (error) => isNetScriptError(error, "STREAMS_SEQ_CONFLICT"),
    );
    await rejects(
      append(context, { body: "c", seq: "1" }),
      (error) => isNetScriptError(error, "STREAMS_SEQ_CONFLICT"),
    );
    equal(await content(context), "ab");
  }));

Deno.test("a closed stream refuses appends before checking their content type", () =>
  withStream("text/plain", async (context) => {
    await append(context, { body: "", close: true, contentType: null });
    await rejects(
      append(context, { body: "{}", contentType: "application/json" }),
      (error) => isNetScriptError(error, "STREAMS_CLOSED") && error.details.tail === 0,
    );
    equal((await append(context, { body: "", close: true, contentType: null })).kind, "duplicate");
  }));

Deno.test("a producer's closing write, retried with another body, is a duplicate and keeps the first body", () =>
  withStream("text/plain", async (context) => {
    const producer = { id: "p", epoch: 0, seq: 0 };
    equal((await append(context, { body: "first", close: true, producer })).kind, "appended");
    deepEqual(
      { ...(await append(context, { body: "second", close: true, producer })), record: undefined },
      { kind: "duplicate", record: undefined, producerSeq: 0 },
    );
    await rejects(
      append(context, { body: "x", producer: { id: "p", epoch: 0, seq: 1 } }),
      (error) => isNetScriptError(error, "STREAMS_CLOSED"),
    );
    equal(await content(context), "first");
  }));

Deno.test("a JSON stream stores a batch's messages with its producer state in one commit", () =>
  withStream("application/json", async (context) => {
    const producer = { id: "p", epoch: 3, seq: 0 };
    const result = await append(context, {
      body: '[{"n":1},{"n":2}]',
      contentType: "application/json",
      producer,
    });
    deepEqual([result.record.tail, result.record.producers["p"]?.seq], [2, 0]);
    await rejects(
      append(context, {
        body: "[]",
        contentType: "application/json",
        producer: { ...producer, seq: 1 },
      }),
      (error) => isNetScriptError(error, "STREAMS_INVALID_BODY"),
    );
    equal((await context.store.get("/a"))!.producers["p"]!.seq, 0);
    deepEqual(JSON.parse(await content(context)), [{ n: 1 }, { n: 2 }]);
  }));
