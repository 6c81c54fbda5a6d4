import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { WorkspaceStreamTopic } from "@netscript/plugin";
import { createDurableStream } from "@netscript/plugin-streams-core";
import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
import { createPostgresStreamStore } from "@netscript/plugin-streams-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { freshPostgresDatabase, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { createTopics } from "../runtime/processes.ts";
import { createStreamsService } from "./streams_service.ts";

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
  body: (service: ReturnType<typeof createStreamsService>) => Promise<void>,
): Promise<void> {
  const store = await createMemoryStreamStore();
  try {
    const service = createStreamsService({ store, topics: [ORDERS], logger: quiet });
    await createTopics(service, [ORDERS]);
    await body(service);
  } finally {
    await store.close();
  }
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
