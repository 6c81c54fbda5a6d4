/**
 * End to end: a workspace from `netscript init --link` gets the workers,
 * sagas and triggers plugins with `netscript plugin add`, declares a saga
 * and a Standard Webhooks trigger whose `dispatch` returns
 * `{ saga, input }`, and runs under `netscript dev` on the embedded
 * defaults (SQLite and Deno KV). A signed webhook is answered 202, its
 * delivery is dispatched with a saga target whose id is
 * `trigger-delivery-<deliveryId>`, and `sagas-api` shows that saga
 * completed; the same webhook again is a duplicate that starts nothing; a
 * replay starts a second saga, under its own delivery's id. Event
 * triggers on a job and a saga reaching a state chain them: a job that
 * dies starts the refund saga, and each completed refund saga starts a job
 * that is handed the saga's input and output.
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
  "jobs/charge_card.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "charge-card",
  input: z.object({ orderId: z.string().min(1), cents: z.number().int().positive() }),
  handler: () => {
    throw new Error("card declined");
  },
});
`,
  "jobs/notify_refund.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "notify-refund",
  input: z.object({ sagaId: z.string(), refund: z.string(), orderId: z.string() }),
  handler: (input, { logger }) => logger.info("refund notified", input),
});
`,
  "triggers/charge_died.ts": `import { defineEvent } from "@netscript/plugin-triggers";
import chargeCard from "../jobs/charge_card.ts";
import refundOrder from "../sagas/refund_order.ts";

export default defineEvent({
  name: "charge-died",
  on: { job: chargeCard, state: "dead" },
  dispatch: (event) => {
    const { orderId, cents } = event.payload.input as { orderId: string; cents: number };
    return { saga: refundOrder, input: { orderId, cents } };
  },
});
`,
  "triggers/refund_done.ts": `import { defineEvent } from "@netscript/plugin-triggers";
import notifyRefund from "../jobs/notify_refund.ts";

export default defineEvent({
  name: "refund-done",
  on: { saga: "refund-order", state: "completed" },
  dispatch: (event) => ({
    job: notifyRefund,
    input: {
      sagaId: event.payload.id,
      refund: (event.payload.output as { refund: string }).refund,
      orderId: (event.payload.input as { orderId: string }).orderId,
    },
  }),
});
`,
};

/** Waits for the delivery of `trigger` whose change is of `subject`, dispatched; returns it. */
async function changeDelivery(triggers: string, trigger: string, subject: string) {
  return await until(`a dispatched ${trigger} delivery for ${subject}`, async () => {
    const { body } = await callJson(`${triggers}/api/deliveries?trigger=${trigger}&limit=100`);
    return body.items.find((item: { payload: { id: string }; state: string }) =>
      item.payload.id === subject && item.state === "dispatched"
    );
  });
}

/** Waits for a job to complete; returns it. */
async function completedJob(workers: string, id: string) {
  return await until(`job ${id} completed`, async () => {
    const { body } = await callJson(`${workers}/api/jobs/${id}`);
    return body.state === "completed" ? body : undefined;
  });
}

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
    typeCheck: ["plugins/triggers", "triggers", "sagas", "jobs"],
    processors: ["trigger-processor", "saga-runner", "workers-combined"],
    env: [`WEBHOOK_REFUNDS_SECRET=${SECRET}`],
  }, async (app) => {
    const triggers = app.url("triggers-api");
    const sagas = app.url("sagas-api");
    const workers = app.url("workers-api");
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

    await t.step("a completed saga starts a job handed its input and output", async () => {
      const saga = `trigger-delivery-${first}`;
      const delivery = await changeDelivery(triggers, "refund-done", saga);
      equal(delivery.source, "event");
      deepEqual(
        { ...delivery.payload, at: undefined },
        {
          kind: "saga",
          id: saga,
          name: "refund-order",
          state: "completed",
          error: null,
          at: undefined,
          input: { orderId: "o-42", cents: 1250 },
          output: { refund: "rf-o-42", cents: 1250, saga },
        },
      );
      equal(delivery.target.kind, "job");
      const job = await completedJob(workers, delivery.target.id);
      deepEqual(job.input, { sagaId: saga, refund: "rf-o-42", orderId: "o-42" });
    });

    await t.step("a job that dies starts a saga, whose completion starts a job", async () => {
      const enqueued = await callJson(`${workers}/api/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "charge-card", input: { orderId: "o-77", cents: 990 } }),
      });
      equal(enqueued.status, 201, JSON.stringify(enqueued.body));
      const died = await changeDelivery(triggers, "charge-died", enqueued.body.id);
      equal(died.payload.state, "dead");
      equal(died.payload.error, "card declined");
      deepEqual(died.target, {
        kind: "saga",
        name: "refund-order",
        id: `trigger-delivery-${died.id}`,
      });
      const notified = await changeDelivery(triggers, "refund-done", died.target.id);
      const job = await completedJob(workers, notified.target.id);
      deepEqual(job.input, { sagaId: died.target.id, refund: "rf-o-77", orderId: "o-77" });
      const deaths = await callJson(`${triggers}/api/deliveries?trigger=charge-died`);
      equal(deaths.body.total, 1, "one delivery per change");
    });
  });
});
