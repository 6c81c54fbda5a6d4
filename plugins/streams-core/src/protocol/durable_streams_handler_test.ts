import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { NetScriptError } from "@netscript/contracts/errors";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import type { StreamStore } from "../ports/stream_store.ts";
import {
  createDurableStreamsHandler,
  type DurableStreamsHandlerOptions,
} from "./durable_streams_handler.ts";

const BASE = "http://streams.test/v1/stream";

async function withHandler(
  options: Omit<DurableStreamsHandlerOptions, "store">,
  body: (
    call: (path: string, init?: RequestInit) => Promise<Response>,
    store: StreamStore,
  ) => Promise<void>,
  wrap: (store: StreamStore) => StreamStore = (store) => store,
): Promise<void> {
  const store = await createMemoryStreamStore();
  const handler = createDurableStreamsHandler({ ...options, store: wrap(store) });
  try {
    await body((path, init) => handler(new Request(`${BASE}${path}`, init)), store);
  } finally {
    await store.close();
  }
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { code: string }).code;
}

Deno.test("the handler expires a stream after its sliding TTL; reads extend it, HEAD does not", async () => {
  const clock = { now: 1_700_000_000_000 };
  await withHandler({ now: () => clock.now }, async (call) => {
    equal((await call("/ttl", { method: "PUT", headers: { "Stream-TTL": "10" } })).status, 201);
    clock.now += 8_000;
    equal((await call("/ttl?offset=-1")).status, 200);
    clock.now += 8_000;
    const head = await call("/ttl", { method: "HEAD" });
    deepEqual([head.status, head.headers.get("Stream-TTL")], [200, "10"]);
    clock.now += 3_000;
    equal((await call("/ttl", { method: "HEAD" })).status, 404);
    equal(
      (await call("/ttl", { method: "PUT", headers: { "Content-Type": "application/json" } }))
        .status,
      201,
    );
  });
});

Deno.test("the handler answers bad input with 4xx and the error's code, never 500", async () => {
  await withHandler({ maxBodyBytes: 8 }, async (call) => {
    await call("/bad", { method: "PUT", headers: { "Content-Type": "text/plain" } });
    const cases: [string, RequestInit, number, string][] = [
      ["/bad", { method: "PUT", headers: { "Stream-TTL": "010" } }, 400, "STREAMS_INVALID_HEADER"],
      ["/bad?offset=abc", {}, 400, "STREAMS_INVALID_OFFSET"],
      ["/bad?offset=0000000000000000_0000000000000009", {}, 400, "STREAMS_INVALID_OFFSET"],
      ["/bad?live=sse", {}, 400, "STREAMS_INVALID_HEADER"],
      [
        "/bad",
        {
          method: "POST",
          headers: { "Content-Type": "text/plain", "Producer-Id": "p" },
          body: "x",
        },
        400,
        "STREAMS_INVALID_HEADER",
      ],
      [
        "/bad",
        { method: "POST", headers: { "Content-Type": "text/plain" }, body: "123456789" },
        413,
        "STREAMS_PAYLOAD_TOO_LARGE",
      ],
      [
        "/bad",
        { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" },
        409,
        "STREAMS_CONTENT_TYPE_MISMATCH",
      ],
      ["/bad", { method: "POST", body: new Uint8Array([1]) }, 400, "STREAMS_INVALID_HEADER"],
      ["/bad", { method: "PATCH" }, 405, "STREAMS_METHOD_NOT_ALLOWED"],
      ["/missing", {}, 404, "STREAMS_NOT_FOUND"],
      ["/__ds/jwks.json", {}, 404, "STREAMS_NOT_FOUND"],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await call(path, init);
      equal(response.status, status, `${init.method ?? "GET"} ${path}`);
      equal(await errorCode(response), code, `${init.method ?? "GET"} ${path}`);
      equal(response.headers.get("X-Content-Type-Options"), "nosniff");
    }
  });
});

Deno.test("an append to a closed stream gets 409 with Stream-Closed and the final offset", async () => {
  await withHandler({}, async (call) => {
    await call("/closed", {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
      body: "abc",
    });
    const close = await call("/closed", { method: "POST", headers: { "Stream-Closed": "true" } });
    equal(close.status, 204);
    const refused = await call("/closed", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "d",
    });
    deepEqual(
      [
        refused.status,
        refused.headers.get("Stream-Closed"),
        refused.headers.get("Stream-Next-Offset"),
      ],
      [409, "true", close.headers.get("Stream-Next-Offset")],
    );
    equal(await errorCode(refused), "STREAMS_CLOSED");
  });
});

Deno.test("producer errors carry the protocol's headers", async () => {
  await withHandler({}, async (call) => {
    await call("/producer", { method: "PUT", headers: { "Content-Type": "text/plain" } });
    const write = (epoch: number, seq: number) =>
      call("/producer", {
        method: "POST",
        headers: {
          "Content-Type": "text/plain",
          "Producer-Id": "p",
          "Producer-Epoch": `${epoch}`,
          "Producer-Seq": `${seq}`,
        },
        body: `${epoch}:${seq}`,
      });
    equal((await write(1, 0)).status, 200);
    const gap = await write(1, 5);
    deepEqual([
      gap.status,
      gap.headers.get("Producer-Expected-Seq"),
      gap.headers.get("Producer-Received-Seq"),
    ], [409, "1", "5"]);
    const fenced = await write(0, 1);
    deepEqual([fenced.status, fenced.headers.get("Producer-Epoch")], [403, "1"]);
    const retry = await write(1, 0);
    deepEqual([retry.status, retry.headers.get("Producer-Seq")], [204, "0"]);
    equal(await (await call("/producer")).text(), "1:0");
  });
});

Deno.test("a long-poll at the tail answers 204 with a cursor when nothing arrives, 200 when data does", async () => {
  await withHandler({ longPollTimeoutMs: 50 }, async (call) => {
    const created = await call("/poll", {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
    });
    const tail = created.headers.get("Stream-Next-Offset")!;
    const timeout = await call(`/poll?offset=${tail}&live=long-poll`);
    deepEqual(
      [
        timeout.status,
        timeout.headers.get("Stream-Up-To-Date"),
        timeout.headers.get("Stream-Next-Offset"),
      ],
      [204, "true", tail],
    );
    ok(/^\d+$/.test(timeout.headers.get("Stream-Cursor") ?? ""));
  });
  await withHandler({ longPollTimeoutMs: 30_000 }, async (call) => {
    const created = await call("/poll", {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
    });
    const waiting = call(
      `/poll?offset=${created.headers.get("Stream-Next-Offset")}&live=long-poll`,
    );
    await call("/poll", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "new" });
    const answer = await waiting;
    deepEqual([answer.status, await answer.text()], [200, "new"]);
  });
});

Deno.test("SSE sends a control event after every data event, and ends after the stream closes", async () => {
  await withHandler({}, async (call) => {
    await call("/sse", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: '[{"n":1}]',
    });
    await call("/sse", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"n":2}',
    });
    await call("/sse", { method: "POST", headers: { "Stream-Closed": "true" } });
    const response = await call("/sse?offset=-1&live=sse");
    equal(response.headers.get("Content-Type"), "text/event-stream");
    const events = (await response.text()).split("\n\n").filter(Boolean).map((block) => {
      const [event, ...data] = block.split("\n");
      return {
        event: event!.slice("event: ".length),
        data: data.map((line) => line.slice(5)).join("\n"),
      };
    });
    deepEqual(events.map((event) => event.event), ["data", "control"]);
    deepEqual(JSON.parse(events[0]!.data), [{ n: 1 }, { n: 2 }]);
    const control = JSON.parse(events[1]!.data);
    deepEqual([control.streamClosed, control.upToDate, control.streamCursor], [
      true,
      true,
      undefined,
    ]);
  });
});

Deno.test("a catch-up read has an ETag; sending it back gets 304", async () => {
  await withHandler({}, async (call) => {
    await call("/etag", { method: "PUT", headers: { "Content-Type": "text/plain" }, body: "x" });
    const first = await call("/etag");
    const etag = first.headers.get("ETag")!;
    await first.body?.cancel();
    equal((await call("/etag", { headers: { "If-None-Match": etag } })).status, 304);
    await call("/etag", { method: "POST", headers: { "Stream-Closed": "true" } });
    equal((await call("/etag", { headers: { "If-None-Match": etag } })).status, 200);
  });
});

Deno.test("a store outage is answered 503 with its code but not its address; it and an unexpected error (500) are reported to onError", async () => {
  const reported: unknown[] = [];
  const outageError = new NetScriptError(
    "STORE_UNAVAILABLE",
    "Cannot reach the stream store at postgresql://postgres:***@db.internal:5432/app",
  );
  let failure: Error = outageError;
  await withHandler(
    { onError: (error) => reported.push(error) },
    async (call) => {
      const outage = await call("/down");
      equal(outage.status, 503);
      const body = await outage.json();
      equal(body.code, "STORE_UNAVAILABLE");
      equal(body.message.includes("db.internal"), false, body.message);
      failure = new Error("boom");
      const crash = await call("/down");
      deepEqual([crash.status, await errorCode(crash)], [500, "INTERNAL"]);
      deepEqual(reported, [outageError, failure]);
    },
    (store) => ({ ...store, get: () => Promise.reject(failure), close: () => store.close() }),
  );
});

Deno.test("a live SSE reader at the tail gets new appends, then the closing control event", async () => {
  await withHandler({}, async (call) => {
    const created = await call("/live", {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
      body: "old",
    });
    const response = await call(
      `/live?offset=${created.headers.get("Stream-Next-Offset")}&live=sse`,
    );
    const text = response.text();
    await call("/live", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "new\nline",
    });
    await call("/live", { method: "POST", headers: { "Stream-Closed": "true" } });
    const events = (await text).split("\n\n").filter(Boolean).map((block) => {
      const [event, ...data] = block.split("\n");
      return {
        event: event!.slice("event: ".length),
        data: data.map((line) => line.slice(5)).join("\n"),
      };
    });
    events.forEach((event, index) => {
      if (event.event === "data") equal(events[index + 1]?.event, "control");
    });
    equal(
      events.filter((event) => event.event === "data").map((event) => event.data).join(""),
      "new\nline",
    );
    deepEqual(JSON.parse(events.at(-1)!.data).streamClosed, true);
  });
});

Deno.test("the handler answers any protocol header or offset value with a status below 500", async () => {
  const value = fc.oneof(
    fc.stringMatching(/^[\x20-\x7e]{0,24}$/),
    fc.constantFrom(
      "0",
      "-1",
      "now",
      "true",
      "1e3",
      "0000000000000000_0000000000000003",
      "/v1/stream/src",
    ),
  );
  const headerNames = [
    "Content-Type",
    "Stream-TTL",
    "Stream-Expires-At",
    "Stream-Seq",
    "Stream-Closed",
    "Stream-Forked-From",
    "Stream-Fork-Offset",
    "Stream-Fork-Sub-Offset",
    "Producer-Id",
    "Producer-Epoch",
    "Producer-Seq",
    "If-None-Match",
  ];
  await withHandler({ longPollTimeoutMs: 1 }, async (call) => {
    await call("/src", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: "[1,2,3]",
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("PUT", "POST", "GET", "HEAD", "DELETE"),
        fc.constantFrom("/src", "/target"),
        fc.dictionary(fc.constantFrom(...headerNames), value, { maxKeys: 5 }),
        fc.option(value, { nil: undefined }),
        fc.constantFrom(undefined, "long-poll", "sse", "other"),
        fc.constantFrom("", "[]", "{", '{"a":1}', "text"),
        async (method, path, headers, offset, live, body) => {
          const query = new URLSearchParams();
          if (offset !== undefined) query.set("offset", offset);
          if (live !== undefined) query.set("live", live);
          const response = await call(`${path}?${query}`, {
            method,
            headers,
            ...(method === "PUT" || method === "POST" ? { body } : {}),
          });
          await response.body?.cancel();
          ok(
            response.status < 500,
            `${method} ${path}?${query} ${JSON.stringify(headers)}: ${response.status}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
