import { deepEqual, equal } from "node:assert/strict";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import { createDurableStreamsHandler } from "./durable_streams_handler.ts";
import type { MessageCheck } from "./message_check.ts";

const BASE = "http://streams.test/v1/stream";

/** Accepts objects with a numeric `total`. */
const orderCheck: MessageCheck = (message) =>
  typeof message === "object" && message !== null &&
    typeof (message as { total?: unknown }).total === "number"
    ? []
    : [{ path: "total", message: "total must be number" }];

Deno.test("a checked stream refuses an append with a failing message with 422, and writes none of it", async () => {
  const store = await createMemoryStreamStore();
  const handler = createDurableStreamsHandler({
    store,
    checkMessage: (path) => path === "/v1/stream/orders" ? orderCheck : undefined,
  });
  const call = (path: string, init?: RequestInit) => handler(new Request(`${BASE}${path}`, init));
  const json = { "Content-Type": "application/json" };
  try {
    equal((await call("/orders", { method: "PUT", headers: json })).status, 201);
    const refused = await call("/orders", {
      method: "POST",
      headers: json,
      body: JSON.stringify([{ total: 1 }, { total: "2" }, {}]),
    });
    equal(refused.status, 422);
    const body = await refused.json();
    equal(body.code, "STREAMS_INVALID_MESSAGE");
    deepEqual(body.refused.map((entry: { index: number }) => entry.index), [1, 2]);
    deepEqual((await store.get("/v1/stream/orders"))?.tail, 0);

    equal(
      (await call("/orders", { method: "POST", headers: json, body: '{"total":3}' })).status,
      204,
    );
    deepEqual(await (await call("/orders?offset=-1")).json(), [{ total: 3 }]);

    const initial = await call("/orders-copy", { method: "PUT", headers: json, body: "[{}]" });
    equal(initial.status, 201, "a stream without a check takes any JSON");
  } finally {
    await store.close();
  }
});

Deno.test("a checked stream refuses a create whose initial messages fail, and creates nothing", async () => {
  const store = await createMemoryStreamStore();
  const handler = createDurableStreamsHandler({ store, checkMessage: () => orderCheck });
  try {
    const response = await handler(
      new Request(`${BASE}/orders`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: '[{"total":"x"}]',
      }),
    );
    equal(response.status, 422);
    equal(await store.get("/v1/stream/orders"), undefined);
  } finally {
    await store.close();
  }
});
