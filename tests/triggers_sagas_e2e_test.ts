/**
 * End to end: a workspace from `netscript init --link` gets the workers,
 * sagas and triggers plugins with `netscript plugin add`, declares a saga
 * and a Standard Webhooks trigger whose `dispatch` returns
 * `{ saga, input }`, and runs under `netscript dev` on the embedded
 * defaults (SQLite and Deno KV). A signed webhook is answered 202, its
 * delivery is dispatched with a saga target whose id is
 * `trigger-delivery-<deliveryId>`, and `sagas-api` shows that saga
 * completed; the same webhook again is a duplicate that starts nothing; a
 * replay starts a second saga, under its own delivery's id.
 */
import { callJson, until } from "./support/polling.ts";
import { withPluginApp } from "./support/plugin_app.ts";
import { deepEqual, equal } from "node:assert/strict";
import { signStandardWebhook } from "@netscript/plugin-triggers-core";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const FILES: Record<string, string> = {
  "sagas/refund_order.ts": `import { defineSaga } from "@netscript/plugin-sagas";
import { z } from "zod";

export default defineSaga({
  name: "refund-order",
  input: z.object({ orderId: z.string().min(1), cents: z.number().int().positive() }),
  async run({ orderId, cents }, ctx) {
    const refunded = await ctx.step("refund", () => ({ refund: \`rf-\${orderId}\`, cents }));
    return { ...refunded, saga: ctx.id };
  },
});
`,
  "triggers/refund_requested.ts":
    `import { defineWebhook, standardWebhooks } from "@netscript/plugin-triggers";
import { z } from "zod";
import refundOrder from "../sagas/refund_order.ts";

export default defineWebhook({
  name: "refund-requested",
  verify: standardWebhooks({ secretEnv: "WEBHOOK_REFUNDS_SECRET" }),
  input: z.object({ type: z.literal("refund.requested"), data: z.object({ order: z.string(), cents: z.number() }) }),
  dispatch: (event) => ({
    saga: refundOrder,
    input: { orderId: event.payload.data.order, cents: event.payload.data.cents },
  }),
});
`,
};

/** Waits for a delivery to be dispatched, then for the saga it started to complete; returns both. */
async function sagaOfDelivery(triggers: string, sagas: string, deliveryId: string) {
  const delivery = await until(`delivery ${deliveryId} dispatched`, async () => {
    const { body } = await callJson(`${triggers}/api/deliveries/${deliveryId}`);
    return body.state === "dispatched" ? body : undefined;
  });
  deepEqual(delivery.target, {
    kind: "saga",
    name: "refund-order",
    id: `trigger-delivery-${deliveryId}`,
  });
  const saga = await until(`saga ${delivery.target.id} completed`, async () => {
    const { body } = await callJson(`${sagas}/api/sagas/${delivery.target.id}`);
    return body.state === "completed" ? body : undefined;
  });
  return { delivery, saga };
}

Deno.test("a webhook trigger starts a saga once per delivery under netscript dev", async (t) => {
  await withPluginApp(t, {
    plugins: ["workers", "sagas", "triggers"],
    files: FILES,
    typeCheck: ["plugins/triggers", "triggers", "sagas"],
    processors: ["trigger-processor", "saga-runner"],
    env: [`WEBHOOK_REFUNDS_SECRET=${SECRET}`],
  }, async (app) => {
    const triggers = app.url("triggers-api");
    const sagas = app.url("sagas-api");
    let first = "";

    await t.step("a signed webhook starts its saga, which completes", async () => {
      const body = JSON.stringify({
        type: "refund.requested",
        data: { order: "o-42", cents: 1250 },
      });
      const headers = {
        "content-type": "application/json",
        ...await signStandardWebhook({
          secret: SECRET,
          id: "msg_refund_1",
          timestamp: new Date(),
          body,
        }),
      };
      const accepted = await callJson(`${triggers}/hooks/refund-requested`, {
        method: "POST",
        headers,
        body,
      });
      equal(accepted.status, 202, JSON.stringify(accepted.body));
      first = accepted.body.deliveryId;
      const { saga } = await sagaOfDelivery(triggers, sagas, first);
      equal(saga.name, "refund-order");
      deepEqual(saga.output, {
        refund: "rf-o-42",
        cents: 1250,
        saga: `trigger-delivery-${first}`,
      });

      const again = await callJson(`${triggers}/hooks/refund-requested`, {
        method: "POST",
        headers,
        body,
      });
      equal(again.status, 200, "the same webhook-id is a duplicate");
      deepEqual(again.body, { deliveryId: first, duplicate: true });
    });

    await t.step("a replay starts a second saga, under the replay's delivery id", async () => {
      const replayed = await callJson(`${triggers}/api/deliveries/${first}/replay`, {
        method: "POST",
      });
      equal(replayed.status, 202, JSON.stringify(replayed.body));
      const { saga } = await sagaOfDelivery(triggers, sagas, replayed.body.deliveryId);
      equal(saga.output.saga, `trigger-delivery-${replayed.body.deliveryId}`);
      const listed = await callJson(`${sagas}/api/sagas?name=refund-order`);
      equal(listed.body.total, 2, "one saga per delivery, none for the duplicate");
    });
  });
});
