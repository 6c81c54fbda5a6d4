import { deepEqual, equal } from "node:assert/strict";
import { readBody } from "./read_body.ts";

const URL_ = "http://service.test/upload";

/** A request whose body sends `chunks`, then (unless `end`) never finishes. */
function streamed(chunks: string[], end: boolean, headers: HeadersInit = {}): Request {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (end) controller.close();
    },
  });
  return new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

Deno.test("readBody() returns exactly the bytes that arrived", async () => {
  const result = await readBody(streamed(["ab", "cd", "e"], true), {
    maxBytes: 10,
    timeoutMs: 5_000,
  });
  equal(result.outcome, "read");
  if (result.outcome === "read") deepEqual(new TextDecoder().decode(result.bytes), "abcde");
});

Deno.test("readBody() reads a byte-stream body in bounded chunks", async () => {
  const body = "x".repeat(100_000);
  const result = await readBody(new Request(URL_, { method: "POST", body }), {
    maxBytes: 200_000,
    timeoutMs: 5_000,
  });
  equal(result.outcome === "read" ? result.bytes.byteLength : -1, 100_000);
});

Deno.test("readBody() stops at a declared Content-Length over the limit without reading", async () => {
  let pulled = false;
  const body = new ReadableStream<Uint8Array>({
    pull() {
      pulled = true;
    },
  });
  const request = new Request(URL_, {
    method: "POST",
    body,
    headers: { "content-length": "1000000" },
    duplex: "half",
  } as RequestInit);
  deepEqual(await readBody(request, { maxBytes: 1_024, timeoutMs: 5_000 }), {
    outcome: "too_large",
  });
  equal(pulled, false, "nothing of the declared body is read");
});

Deno.test("readBody() stops as soon as the bytes received pass the limit", async () => {
  const result = await readBody(streamed(["12345", "67890", "more"], false), {
    maxBytes: 8,
    timeoutMs: 5_000,
  });
  deepEqual(result, { outcome: "too_large" });
});

Deno.test("readBody() gives up on a body that does not finish in time", async () => {
  const result = await readBody(streamed(['{"name":'], false), { maxBytes: 1_024, timeoutMs: 50 });
  deepEqual(result, { outcome: "timed_out" });
});

Deno.test("readBody() reports a body that breaks off", async () => {
  const failure = new Error("connection reset");
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(failure);
    },
  });
  const request = new Request(URL_, { method: "POST", body, duplex: "half" } as RequestInit);
  deepEqual(await readBody(request, { maxBytes: 1_024, timeoutMs: 5_000 }), {
    outcome: "failed",
    error: failure,
  });
});
