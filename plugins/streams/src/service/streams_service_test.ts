import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { WorkspaceStreamTopic } from "@netscript/plugin";
import {
  applyRetention,
  createDurableStream,
  encodeOffset,
  type StreamStore,
} from "@netscript/plugin-streams-core";
import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
import { createPostgresStreamStore } from "@netscript/plugin-streams-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { freshPostgresDatabase, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { createTopics } from "../runtime/processes.ts";
import { createStreamsService } from "./streams_service.ts";
import { TAIL_READ_BYTES } from "./topic_tail.ts";

const ORDERS: WorkspaceStreamTopic = {
  plugin: "@acme/plugin-shop",
  name: "orders",
  schema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    required: ["id", "total"],
    properties: { id: { type: "string" }, total: { type: "number" } },
  },
};

const BASE = "http://streams.test";
const quiet = createLogger({ service: "streams-api", sink: () => {} });

async function withService(
  body: (service: ReturnType<typeof createStreamsService>, store: StreamStore) => Promise<void>,
): Promise<void> {
  const store = await createMemoryStreamStore();
  try {
    const service = createStreamsService({ store, topics: [ORDERS], logger: quiet });
    await createTopics(service, [ORDERS]);
    await body(service, store);
  } finally {
    await store.close();
  }
}

type StreamsService = ReturnType<typeof createStreamsService>;

/** Sends a protocol request to the service and checks it succeeded. */
async function send(
  service: StreamsService,
  method: "PUT" | "POST",
  name: string,
  init: { contentType: string; body?: BodyInit; headers?: Record<string, string> },
): Promise<void> {
  const response = await service.fetch(
    new Request(`${BASE}/v1/stream/${name}`, {
      method,
      headers: { "content-type": init.contentType, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    }),
  );
  await response.body?.cancel();
  ok(response.ok, `${method} ${name}: ${response.status}`);
}

/** Calls `GET /api/topics/{name}/tail` with a query string. */
async function tail(
  service: StreamsService,
  name: string,
  query = "",
): Promise<{ status: number; body: Record<string, unknown> & { items?: TailItem[] } }> {
  const response = await service.fetch(
    new Request(`${BASE}/api/topics/${encodeURIComponent(name)}/tail${query}`),
  );
  return { status: response.status, body: await response.json() };
}

interface TailItem {
  offset: string;
  committedAt: string;
  messages: number;
  preview: string;
}

Deno.test("streams-api creates declared topics and refuses messages that break their schema with 422", async () => {
  await withService(async (service) => {
    const append = (body: string) =>
      service.fetch(
        new Request(`${BASE}/v1/stream/orders`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        }),
      );
    equal((await append('{"id":"o-1","total":3}')).status, 204);
    const refused = await append('[{"id":"o-2","total":4},{"id":5}]');
    equal(refused.status, 422);
    const body = await refused.json();
    equal(body.code, "STREAMS_INVALID_MESSAGE");
    deepEqual(body.refused.map((entry: { index: number }) => entry.index), [1]);
    const read = await service.fetch(new Request(`${BASE}/v1/stream/orders?offset=-1`));
    deepEqual(await read.json(), [{ id: "o-1", total: 3 }]);
  });
});

Deno.test("createTopics() keeps an existing topic and refuses a name taken by another kind of stream", async () => {
  await withService(async (service) => {
    await createTopics(service, [ORDERS]);
    await service.fetch(
      new Request(`${BASE}/v1/stream/raw`, {
        method: "PUT",
        headers: { "content-type": "text/plain" },
      }),
    );
    await rejects(
      createTopics(service, [{ ...ORDERS, name: "raw" }]),
      (error) =>
        isNetScriptError(error, "STREAMS_TOPIC_CONFLICT") &&
        /@acme\/plugin-shop/.test(error.message),
    );
  });
});

Deno.test("GET /api/topics lists streams with sizes and offsets; GET /api/topics/{name} adds producers", async () => {
  await withService(async (service) => {
    const orders = createDurableStream({
      topic: "orders",
      schema: z.object({ id: z.string(), total: z.number() }),
      url: BASE,
      fetch: (request) => service.fetch(request),
      producerId: "checkout",
      epoch: 7,
    });
    await orders.append({ id: "o-1", total: 1 });
    const ack = await orders.append({ id: "o-2", total: 2 });
    await service.fetch(new Request(`${BASE}/v1/stream/audit/2026`, { method: "PUT" }));

    const list = await (await service.fetch(new Request(`${BASE}/api/topics?limit=1`))).json();
    equal(list.items.length, 1);
    equal(list.items[0].name, "audit/2026");
    equal(list.items[0].declaredBy, null);
    equal(list.next, "audit/2026");
    const rest = await (await service.fetch(new Request(`${BASE}/api/topics?after=audit%2F2026`)))
      .json();
    deepEqual(rest.items.map((item: { name: string }) => item.name), ["orders"]);
    equal(rest.next, null);

    const detail = await (await service.fetch(new Request(`${BASE}/api/topics/orders`))).json();
    equal(detail.declaredBy, "@acme/plugin-shop");
    equal(detail.contentType, "application/json");
    equal(detail.nextOffset, ack.offset);
    ok(detail.bytes > 0);
    deepEqual(
      detail.producers.map((
        p: { id: string; epoch: number; seq: number },
      ) => [p.id, p.epoch, p.seq]),
      [["checkout", 7, 1]],
    );
    const missing = await service.fetch(new Request(`${BASE}/api/topics/nope`));
    equal(missing.status, 404);
  });
});

Deno.test("streams-api's /health and procedures answer 503 while the store cannot be reached", async () => {
  const store = await createPostgresStreamStore({
    url: "postgresql://postgres:hunter2@127.0.0.1:1/streams",
  });
  try {
    const service = createStreamsService({ store, logger: quiet });
    equal((await service.fetch(new Request(`${BASE}/health`))).status, 503);
    const list = await service.fetch(new Request(`${BASE}/api/topics`));
    equal(list.status, 503);
    ok(!(await list.text()).includes("hunter2"));
    const read = await service.fetch(new Request(`${BASE}/v1/stream/orders?offset=-1`));
    equal(read.status, 503);
    ok(!(await read.text()).includes("127.0.0.1:1"));
  } finally {
    await store.close();
  }
});

Deno.test({
  name: "createTopics() on PostgreSQL without the streams tables says to run netscript db migrate",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    const store = await createPostgresStreamStore({ url: database.url });
    try {
      const service = createStreamsService({ store, logger: quiet });
      await rejects(
        createTopics(service, [ORDERS]),
        (error) =>
          isNetScriptError(error, "SCHEMA_MISSING") &&
          /"orders" of @acme\/plugin-shop/.test(error.message) &&
          /netscript db migrate/.test(error.message),
      );
    } finally {
      await store.close();
      await database.drop();
    }
  },
});

Deno.test("createTopics() while the store cannot be reached fails with STORE_UNAVAILABLE", async () => {
  const store = await createPostgresStreamStore({
    url: "postgresql://postgres@127.0.0.1:1/streams",
  });
  try {
    const service = createStreamsService({ store, logger: quiet });
    await rejects(
      createTopics(service, [ORDERS]),
      (error) => isNetScriptError(error, "STORE_UNAVAILABLE") && /503/.test(error.message),
    );
  } finally {
    await store.close();
  }
});

Deno.test("GET /api/topics/{name}/tail lists a stream's newest appends, the newest last", async (t) => {
  await withService(async (service) => {
    const json = { contentType: "application/json" };
    await send(service, "POST", "orders", { ...json, body: '{"id":"o-1","total":1}' });
    await send(service, "POST", "orders", {
      ...json,
      body: '[{"id":"o-2","total":2}, {"id":"o-3","total":3}]',
    });
    await send(service, "POST", "orders", { ...json, body: '{"id":"o-4","total":4}' });

    await t.step("a JSON topic: one item per append, counting its messages", async () => {
      const { status, body } = await tail(service, "orders");
      equal(status, 200);
      deepEqual(
        body.items!.map((item) => [item.offset, item.messages, item.preview]),
        [
          [encodeOffset(0), 1, '[{"id":"o-1","total":1}]'],
          [encodeOffset(1), 2, '[{"id":"o-2","total":2},{"id":"o-3","total":3}]'],
          [encodeOffset(3), 1, '[{"id":"o-4","total":4}]'],
        ],
      );
      for (const item of body.items!) {
        equal(new Date(item.committedAt).toISOString(), item.committedAt);
      }
    });

    await t.step("limit keeps the newest appends", async () => {
      const { body } = await tail(service, "orders", "?limit=2");
      deepEqual(body.items!.map((item) => item.offset), [encodeOffset(1), encodeOffset(3)]);
    });

    await t.step("a byte stream counts bytes and previews each append by its size", async () => {
      const bytes = { contentType: "application/octet-stream" };
      await send(service, "PUT", "blobs/raw", bytes);
      await send(service, "POST", "blobs/raw", { ...bytes, body: new Uint8Array(5) });
      await send(service, "POST", "blobs/raw", { ...bytes, body: new Uint8Array(300) });
      const { status, body } = await tail(service, "blobs/raw");
      equal(status, 200);
      deepEqual(
        body.items!.map((item) => [item.offset, item.messages, item.preview]),
        [[encodeOffset(0), 5, "<5 bytes>"], [encodeOffset(5), 300, "<300 bytes>"]],
      );
    });

    await t.step("a text stream's preview is cut to 500 characters with an ellipsis", async () => {
      const text = { contentType: "text/plain; charset=utf-8" };
      await send(service, "PUT", "log", text);
      await send(service, "POST", "log", { ...text, body: "x".repeat(500) });
      await send(service, "POST", "log", { ...text, body: "y".repeat(501) });
      await send(service, "POST", "log", { ...text, body: `${"z".repeat(499)}😀 and more` });
      const { body } = await tail(service, "log");
      deepEqual(body.items!.map((item) => item.preview), [
        "x".repeat(500),
        `${"y".repeat(500)}…`,
        `${"z".repeat(499)}…`,
      ]);
    });

    await t.step("an unknown stream is 404 NOT_FOUND", async () => {
      const { status, body } = await tail(service, "nope");
      equal(status, 404);
      equal(body.code, "NOT_FOUND");
    });

    await t.step("a limit outside 1 to 100 is 400 BAD_REQUEST", async () => {
      for (const limit of ["0", "101", "two"]) {
        const { status, body } = await tail(service, "orders", `?limit=${limit}`);
        equal(status, 400, limit);
        equal(body.code, "BAD_REQUEST", limit);
      }
      equal((await tail(service, "orders", "?limit=100")).status, 200);
    });
  });
});

Deno.test("GET /api/topics/{name}/tail lists what retention kept, and a fork's own appends", async (t) => {
  await withService(async (service, store) => {
    const json = { contentType: "application/json" };
    for (const id of ["o-1", "o-2", "o-3"]) {
      await send(service, "POST", "orders", { ...json, body: `{"id":"${id}","total":1}` });
    }

    await t.step("a fork lists the appends made to it since it was forked", async () => {
      await send(service, "PUT", "orders-copy", {
        ...json,
        headers: { "stream-forked-from": "/v1/stream/orders" },
      });
      deepEqual((await tail(service, "orders-copy")).body.items, []);
      await send(service, "POST", "orders-copy", { ...json, body: '{"id":"c-1","total":1}' });
      deepEqual(
        (await tail(service, "orders-copy")).body.items!.map((item) => [item.offset, item.preview]),
        [[encodeOffset(3), '[{"id":"c-1","total":1}]']],
      );
      const deleted = await service.fetch(
        new Request(`${BASE}/v1/stream/orders-copy`, { method: "DELETE" }),
      );
      ok(deleted.ok, String(deleted.status));
    });

    await t.step("retention's dropped appends are left out", async () => {
      const size = new TextEncoder().encode('[{"id":"o-1","total":1}]').byteLength;
      await applyRetention(store, { maxBytes: 2 * size });
      deepEqual(
        (await tail(service, "orders")).body.items!.map((item) => item.offset),
        [encodeOffset(1), encodeOffset(2)],
      );
    });

    await t.step("a stream retention emptied has no items", async () => {
      await applyRetention(store, { maxBytes: 1 });
      const { status, body } = await tail(service, "orders");
      equal(status, 200);
      deepEqual(body.items, []);
    });
  });
});

Deno.test("GET /api/topics/{name}/tail neither touches nor commits: a sliding TTL is left alone", async () => {
  await withService(async (service, store) => {
    await send(service, "PUT", "session", {
      contentType: "text/plain",
      body: "hello",
      headers: { "stream-ttl": "60" },
    });
    const before = await store.get("/v1/stream/session");
    const calls: string[] = [];
    const watched = createStreamsService({ store: _recording(store, calls), logger: quiet });
    const { status, body } = await tail(watched, "session");
    equal(status, 200);
    deepEqual(body.items!.map((item) => item.preview), ["hello"]);
    deepEqual([...new Set(calls)].sort(), ["get", "readChunks"]);
    deepEqual(await store.get("/v1/stream/session"), before);
  });
});

Deno.test("GET /api/topics/{name}/tail stops at about 1 MiB read and still lists the newest appends", async () => {
  await withService(async (service) => {
    const bytes = { contentType: "application/octet-stream" };
    const large = Math.floor(TAIL_READ_BYTES * 0.7);
    await send(service, "PUT", "big", bytes);
    await send(service, "POST", "big", { ...bytes, body: new Uint8Array(large) });
    await send(service, "POST", "big", { ...bytes, body: new Uint8Array(large) });
    await send(service, "POST", "big", { ...bytes, body: new Uint8Array(10) });
    const { body } = await tail(service, "big");
    deepEqual(
      body.items!.map((item) => [item.offset, item.preview]),
      [[encodeOffset(large), `<${large} bytes>`], [encodeOffset(2 * large), "<10 bytes>"]],
      "the oldest append would take the read past the bound",
    );
    await send(service, "POST", "big", { ...bytes, body: new Uint8Array(TAIL_READ_BYTES * 2) });
    deepEqual(
      (await tail(service, "big")).body.items!.map((item) => item.preview),
      [`<${TAIL_READ_BYTES * 2} bytes>`],
      "the newest append is listed whatever its size",
    );
  });
});

/** The store, recording the name of every method called on it. */
function _recording(store: StreamStore, calls: string[]): StreamStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return value.apply(target, args);
      };
    },
  });
}
