/**
 * Type-level tests: triggers keep their literal names, their events are
 * typed by their schemas, and what `dispatch` returns is checked against
 * the job's or the saga's input. Checked by the compiler when this file is type-checked.
 */
import { expectTypeOf } from "expect-type";
import { defineSaga, type StartableSaga } from "@netscript/plugin-sagas-core";
import { defineJob, type JobDefinition } from "@netscript/plugin-workers-core";
import { z } from "zod";
import { github } from "../webhooks/github.ts";
import { unverified } from "../webhooks/unverified.ts";
import { type CronDefinition, type CronEvent, defineCron } from "./define_cron.ts";
import { defineEvent, type EventDefinition } from "./define_event.ts";
import { defineWebhook, type WebhookDefinition, type WebhookEvent } from "./define_webhook.ts";
import type { DispatchFunction, JobDispatch, SagaDispatch } from "./trigger_definition.ts";
import type { TriggerDefinition } from "./trigger_list.ts";

const buildInput = z.object({ sha: z.string(), retries: z.number().default(0) });
const build = defineJob({ name: "build-commit", input: buildInput, handler: () => {} });
const pushInput = z.object({ after: z.string(), forced: z.boolean().optional() });
const refundInput = z.object({ orderId: z.string(), cents: z.number().int().default(0) });
const refund = defineSaga({ name: "refund-order", input: refundInput, run: () => {} });

Deno.test("defineWebhook() keeps the literal name and types the event by the schema", () => {
  const pushes = defineWebhook({
    name: "github-push",
    verify: github({ secretEnv: "GITHUB_WEBHOOK_SECRET" }),
    input: pushInput,
    dispatch: (event) => {
      expectTypeOf(event).toEqualTypeOf<
        WebhookEvent<{ after: string; forced?: boolean | undefined }>
      >();
      expectTypeOf(event.headers).toEqualTypeOf<Readonly<Record<string, string>>>();
      return { job: build, input: { sha: event.payload.after } };
    },
  });
  expectTypeOf(pushes.name).toEqualTypeOf<"github-push">();
  expectTypeOf(pushes).toEqualTypeOf<
    WebhookDefinition<"github-push", { after: string; forced?: boolean | undefined }, typeof build>
  >();
  expectTypeOf(pushes).toExtend<TriggerDefinition>();
});

Deno.test("defineWebhook() without a schema hands dispatch an unknown payload", () => {
  defineWebhook({
    name: "ping",
    verify: unverified(),
    dispatch: (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<unknown>();
      return null;
    },
  });
});

Deno.test("defineCron() keeps the literal name and hands dispatch a cron event", () => {
  const nightly = defineCron({
    name: "nightly",
    cron: "0 3 * * *",
    dispatch: (tick) => {
      expectTypeOf(tick).toEqualTypeOf<CronEvent>();
      expectTypeOf(tick.scheduledAt).toEqualTypeOf<Date>();
      return { job: build, input: { sha: tick.scheduledAt.toISOString() } };
    },
  });
  expectTypeOf(nightly.name).toEqualTypeOf<"nightly">();
  expectTypeOf(nightly).toEqualTypeOf<CronDefinition<"nightly", typeof build>>();
  expectTypeOf(nightly).toExtend<TriggerDefinition>();
});

Deno.test("a job dispatch takes the job's input type, before defaults", () => {
  expectTypeOf<JobDispatch<typeof build>["input"]>().toEqualTypeOf<
    { sha: string; retries?: number | undefined }
  >();
  expectTypeOf<JobDispatch["job"]>().toEqualTypeOf<JobDefinition>();
});

Deno.test("a saga dispatch takes the saga's input type, before defaults", () => {
  expectTypeOf<SagaDispatch<typeof refund>["input"]>().toEqualTypeOf<
    { orderId: string; cents?: number | undefined }
  >();
  expectTypeOf<SagaDispatch["saga"]>().toEqualTypeOf<StartableSaga>();
  expectTypeOf<ReturnType<DispatchFunction<CronEvent, typeof build, typeof refund>>>()
    .toEqualTypeOf<
      | JobDispatch<typeof build>
      | SagaDispatch<typeof refund>
      | null
      | Promise<JobDispatch<typeof build> | SagaDispatch<typeof refund> | null>
    >();
});

Deno.test("a trigger whose dispatch starts a saga keeps the saga's type", () => {
  const refunds = defineWebhook({
    name: "refund-requested",
    verify: unverified(),
    input: z.object({ order: z.string() }),
    dispatch: (event) => ({ saga: refund, input: { orderId: event.payload.order } }),
  });
  expectTypeOf(refunds).toEqualTypeOf<
    WebhookDefinition<"refund-requested", { order: string }, JobDefinition, typeof refund>
  >();
  expectTypeOf(refunds).toExtend<TriggerDefinition>();
  const either = defineCron({
    name: "either",
    cron: "0 3 * * *",
    dispatch: (tick) =>
      tick.scheduledAt.getUTCDate() === 1
        ? { saga: refund, input: { orderId: "monthly" } }
        : { job: build, input: { sha: "daily" } },
  });
  expectTypeOf(either).toEqualTypeOf<CronDefinition<"either", typeof build, typeof refund>>();
  expectTypeOf(either).toExtend<TriggerDefinition>();
  const placed = defineEvent({
    name: "order-placed",
    on: { topic: "orders" },
    input: z.object({ id: z.string() }),
    dispatch: (event) => Promise.resolve({ saga: refund, input: { orderId: event.payload.id } }),
  });
  expectTypeOf(placed).toEqualTypeOf<
    EventDefinition<"order-placed", { id: string }, JobDefinition, typeof refund>
  >();
});

Deno.test("the compiler refuses a dispatch input of the wrong type", () => {
  expectTypeOf(misuse).toBeFunction();
});

/** Never called: only compiled. */
function misuse() {
  defineWebhook({
    name: "wrong-input",
    verify: unverified(),
    input: pushInput,
    // @ts-expect-error: sha must be a string
    dispatch: () => ({ job: build, input: { sha: 42 } }),
  });
  defineCron({
    name: "missing-input",
    cron: "* * * * *",
    // @ts-expect-error: the job's input is required
    dispatch: () => ({ job: build }),
  });
  defineWebhook({
    name: "wrong-payload",
    verify: unverified(),
    input: pushInput,
    // @ts-expect-error: the payload has no field "before"
    dispatch: (event) => ({ job: build, input: { sha: event.payload.before } }),
  });
  defineWebhook({
    name: "wrong-saga-input",
    verify: unverified(),
    // @ts-expect-error: orderId must be a string
    dispatch: () => ({ saga: refund, input: { orderId: 42 } }),
  });
  defineCron({
    name: "missing-saga-input",
    cron: "* * * * *",
    // @ts-expect-error: the saga's input is required
    dispatch: () => ({ saga: refund }),
  });
  defineEvent({
    name: "both",
    on: { topic: "orders" },
    // @ts-expect-error: a dispatch starts a job or a saga, not both
    dispatch: () => ({ job: build, saga: refund, input: { sha: "a", orderId: "b" } }),
  });
  defineWebhook({
    name: "not-a-saga",
    verify: unverified(),
    // @ts-expect-error: a saga is a defineSaga result, not a name
    dispatch: () => ({ saga: "refund-order", input: { orderId: "o-1" } }),
  });
  // @ts-expect-error: verify is required
  defineWebhook({ name: "no-verify", dispatch: () => null });
  // @ts-expect-error: cron is required
  defineCron({ name: "no-cron", dispatch: () => null });
}
