import { deepEqual, equal, ok } from "node:assert/strict";
import { captureLogger } from "./testdata/capture_logger.ts";
import { createStoreService, STORE_URL } from "./testdata/store_service.ts";

async function get(path: string) {
  const { logger, records } = captureLogger("orders");
  const service = createStoreService(logger);
  const response = await service.fetch(new Request(`http://localhost${path}`));
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text), records };
}

Deno.test("a handler's store error is answered 503 SERVICE_UNAVAILABLE naming the dependency", async (t) => {
  const cases = [
    ["unreachable", "The order store cannot be reached; try again shortly", "order store"],
    [
      "schema",
      "The order store is not set up yet; try again once its database is migrated",
      "order store",
    ],
    ["unnamed", "The store cannot be reached; try again shortly", "store"],
  ] as const;
  for (const [failure, message, dependency] of cases) {
    await t.step(failure, async () => {
      const { status, text, body, records } = await get(`/api/orders?failure=${failure}`);
      equal(status, 503);
      equal(body.code, "SERVICE_UNAVAILABLE");
      equal(body.message, message);
      deepEqual(body.data, { dependency });
      equal(body.defined, true, "the contract's declared SERVICE_UNAVAILABLE");
      ok(!text.includes("db.internal") && !text.includes("hunter2"), text);
      const logged = records.find((r) => r.msg === "procedure failed");
      ok(JSON.stringify(logged).includes(STORE_URL), "the full error is in the log");
    });
  }
});

Deno.test("the RPC protocol answers store errors the same way", async () => {
  const service = createStoreService(captureLogger("orders").logger);
  const response = await service.fetch(
    new Request("http://localhost/api/rpc/orders", {
      method: "POST",
      body: JSON.stringify({ json: { failure: "unreachable" } }),
      headers: { "content-type": "application/json" },
    }),
  );
  equal(response.status, 503);
  const { json } = await response.json();
  equal(json.code, "SERVICE_UNAVAILABLE");
  deepEqual(json.data, { dependency: "order store" });
});

Deno.test("a failing store health check reports the public message, not the address", async () => {
  const { status, text, body } = await get("/health");
  equal(status, 503);
  equal(body.checks[0].error, "The order store cannot be reached; try again shortly");
  ok(!text.includes("hunter2") && !text.includes("db.internal"), text);
});

Deno.test("a handler that succeeds is not touched", async () => {
  const { status, body } = await get("/api/orders?failure=none");
  equal(status, 200);
  deepEqual(body, { count: 0 });
});
