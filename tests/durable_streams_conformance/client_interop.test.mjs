// The official @durable-streams/client against a NetScript streams-api: it
// creates a JSON stream, appends with DurableStream and with an
// IdempotentProducer, reads everything back, and reads what NetScript's own
// createDurableStream wrote (the Deno test seeds STREAM "seeded" first).
import { DurableStream, IdempotentProducer } from "@durable-streams/client";
import { expect, test } from "vitest";

const baseUrl = process.env.CONFORMANCE_TEST_URL;
if (!baseUrl) throw new Error("set CONFORMANCE_TEST_URL");

test("the official client writes and reads a streams-api stream", async () => {
  const url = `${baseUrl}/v1/stream/interop-${Date.now()}`;
  const stream = await DurableStream.create({ url, contentType: "application/json" });
  await stream.append(JSON.stringify({ n: 0 }));
  const producer = new IdempotentProducer(stream, "interop-producer", { epoch: 0 });
  for (let n = 1; n <= 20; n++) producer.append(JSON.stringify({ n }));
  await producer.flush();
  const response = await stream.stream({ offset: "-1", live: false });
  const items = await response.json();
  expect(items.map((item) => item.n)).toEqual(Array.from({ length: 21 }, (_, n) => n));
});

test("the official client reads what NetScript's createDurableStream wrote", async () => {
  const handle = new DurableStream({ url: `${baseUrl}/v1/stream/seeded` });
  const response = await handle.stream({ offset: "-1", live: false });
  const items = await response.json();
  expect(items).toEqual([{ id: "a", total: 1 }, { id: "b", total: 2 }]);
});
