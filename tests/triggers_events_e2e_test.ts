/**
 * End to end: a workspace from `netscript init --link` gets the workers,
 * streams and triggers plugins with `netscript plugin add`, declares an
 * `orders` topic, a job and an event trigger on the topic, and runs under
 * `netscript dev` on the embedded defaults (SQLite and Deno KV). Orders
 * appended to the topic through `streams-api` over HTTP each start the job
 * exactly once; an order the trigger's schema refuses is recorded
 * `rejected` and starts nothing; `triggers-api` lists the event trigger
 * with its topic and fires it by hand.
 */
import { callJson, type JsonBody, until } from "./support/polling.ts";
import { withPluginApp } from "./support/plugin_app.ts";
import { deepEqual, equal, ok } from "node:assert/strict";

/** How many orders the test appends that the trigger accepts. */
const ORDERS = 24;

const ORDER_SCHEMA = {
  type: "object",
  required: ["id", "total"],
  additionalProperties: false,
  properties: { id: { type: "string", minLength: 1 }, total: { type: "number", minimum: 0 } },
};

const FILES: Record<string, string> = {
  "plugins/streams/plugin.ts": `import { defineStreamsPlugin } from "@netscript/plugin-streams";

export default defineStreamsPlugin({
  topics: [{ name: "orders", schemaPath: "./topics/orders.schema.json" }],
});
`,
  "plugins/streams/topics/orders.schema.json": JSON.stringify(ORDER_SCHEMA, null, 2),
  "jobs/fulfil.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "fulfil",
  input: z.object({ orderId: z.string().min(1) }),
  handler: ({ orderId }, { logger }) => logger.info("order fulfilled", { orderId }),
});
`,
  // Stricter than the topic: a free order (total 0) is on the topic but refused here.
  "triggers/order_placed.ts": `import { defineEvent } from "@netscript/plugin-triggers";
import { z } from "zod";
import fulfil from "../jobs/fulfil.ts";

export default defineEvent({
  name: "order-placed",
  on: { topic: "orders" },
  input: z.object({ id: z.string(), total: z.number().positive() }),
  dispatch: (event) => ({ job: fulfil, input: { orderId: event.payload.id } }),
});
`,
};

/** Appends `orders` to the topic in one request, as a JSON array (one message per element). */
async function append(streams: string, orders: readonly unknown[]): Promise<void> {
  const answer = await fetch(`${streams}/v1/stream/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(orders),
  });
  await answer.body?.cancel();
  ok(answer.status === 200 || answer.status === 204, `append answered ${answer.status}`);
}

/** The `fulfil` jobs on `workers-api`. */
async function fulfilJobs(workers: string, state?: string): Promise<JsonBody> {
  const query = state === undefined ? "" : `&state=${state}`;
  return (await callJson(`${workers}/api/jobs?name=fulfil&limit=100${query}`)).body;
}

Deno.test("event triggers start a job for each message of a stream topic, exactly once, under netscript dev", async (t) => {
  await withPluginApp(t, {
    plugins: ["workers", "streams", "triggers"],
    files: FILES,
    typeCheck: ["plugins/triggers", "triggers", "jobs"],
    processors: ["trigger-processor"],
  }, async (app) => {
    const streams = app.url("streams-api");
    const triggers = app.url("triggers-api");
    const workers = app.url("workers-api");

    await t.step("triggers-api lists the event trigger with its topic", async () => {
      const listed = await callJson(`${triggers}/api/triggers`);
      equal(listed.status, 200);
      deepEqual(
        listed.body.items.map((i: JsonBody) => [i.name, i.type, i.topic]),
        [["order-placed", "event", "orders"]],
      );
    });

    await t.step("each order appended to the topic starts its job exactly once", async () => {
      const orders = Array.from({ length: ORDERS }, (_, i) => ({ id: `o-${i}`, total: i + 1 }));
      await append(streams, orders.slice(0, 10));
      await append(streams, [{ id: "free", total: 0 }]);
      await append(streams, orders.slice(10));
      const completed = await until(`${ORDERS} completed fulfil jobs`, async () => {
        const page = await fulfilJobs(workers, "completed");
        return page.total >= ORDERS ? page : undefined;
      });
      const all = await fulfilJobs(workers);
      equal(all.total, ORDERS, "one job per accepted order, no more");
      deepEqual(
        completed.items.map((job: JsonBody) => job.input.orderId).sort(),
        orders.map((order) => order.id).sort(),
      );

      const deliveries =
        (await callJson(`${triggers}/api/deliveries?trigger=order-placed&limit=100`))
          .body;
      equal(deliveries.total, ORDERS + 1);
      ok(deliveries.items.every((d: JsonBody) => d.source === "event"), "all read from the topic");
      equal(new Set(deliveries.items.map((d: JsonBody) => d.key)).size, ORDERS + 1);
      const rejected = deliveries.items.filter((d: JsonBody) => d.state === "rejected");
      deepEqual(rejected.map((d: JsonBody) => d.payload), [{ id: "free", total: 0 }]);
      ok(String(rejected[0].error).includes("total"), rejected[0].error);
      equal(
        deliveries.items.filter((d: JsonBody) => d.state === "dispatched").length,
        ORDERS,
      );
    });

    await t.step("a manual fire of the event trigger starts the job once more", async () => {
      const fired = await callJson(`${triggers}/api/triggers/order-placed/fire`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ payload: { id: "by-hand", total: 5 } }),
      });
      equal(fired.status, 202, JSON.stringify(fired.body));
      await until("the fired order's job", async () => {
        const page = await fulfilJobs(workers);
        return page.total === ORDERS + 1 ? true : undefined;
      });
      const hooked = await callJson(`${triggers}/hooks/order-placed`, {
        method: "POST",
        body: "{}",
      });
      equal(hooked.status, 404, "an event trigger is not a webhook");
    });
  });
});
