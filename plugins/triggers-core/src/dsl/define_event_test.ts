import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import { isNetScriptError } from "@netscript/contracts/errors";
import { defineJob } from "@netscript/plugin-workers-core";
import { z } from "zod";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import {
  defineEvent,
  type EventDefinition,
  type EventOptions,
  type EventTriggerEvent,
} from "./define_event.ts";
import type { StateChange } from "./state_change.ts";
import type { TriggerDefinition } from "./trigger_list.ts";

const fulfil = defineJob({
  name: "fulfil",
  input: z.object({ orderId: z.string() }),
  handler: () => {},
});
const Order = z.object({ id: z.string(), total: z.number(), note: z.string().default("") });

/** Asserts that `define` throws TRIGGERS_INVALID_DEFINITION with a message holding `problem`. */
function throwsInvalid(define: () => unknown, problem: RegExp): void {
  throws(define, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_INVALID_DEFINITION"), String(error));
    ok(problem.test(error.message), `"${error.message}" does not match ${problem}`);
    equal(error.details?.builder, "defineEvent");
    return true;
  });
}

/** defineEvent() of a valid trigger changed by `overrides`, typed loosely to pass bad values. */
function eventWith(overrides: Record<string, unknown>) {
  return () =>
    defineEvent({
      name: "order-placed",
      on: { topic: "orders" },
      dispatch: () => null,
      ...overrides,
    } as unknown as EventOptions<string, z.ZodUnknown, typeof fulfil>);
}

Deno.test("defineEvent() returns a frozen event trigger on its topic", () => {
  const dispatch = () => null;
  const placed = defineEvent({ name: "order-placed", on: { topic: "orders" }, dispatch });
  deepEqual(
    { kind: placed.kind, type: placed.type, name: placed.name, on: placed.on },
    { kind: "trigger", type: "event", name: "order-placed", on: { topic: "orders" } },
  );
  equal(placed.input, null);
  equal(placed.dispatch, dispatch);
  ok(Object.isFrozen(placed));
  ok(Object.isFrozen(placed.on));
  equal(
    defineEvent({ name: "typed", on: { topic: "orders" }, input: Order, dispatch }).input,
    Order,
  );
});

Deno.test("defineEvent() does not keep the caller's on object", () => {
  const on = { topic: "orders" };
  const placed = defineEvent({ name: "order-placed", on, dispatch: () => null });
  on.topic = "payments";
  equal(placed.on.topic, "orders");
});

Deno.test("defineEvent() refuses definitions it cannot run", async (t) => {
  await t.step("a name outside the pattern", () => {
    throwsInvalid(eventWith({ name: "Order Placed" }), /name must match/);
  });
  await t.step("no dispatch function", () => {
    throwsInvalid(eventWith({ dispatch: "fulfil" }), /dispatch must be a function/);
  });
  await t.step("no on, or on naming no topic, job or saga, or more than one", () => {
    for (const on of [undefined, null, "orders", {}, { topic: "orders", job: "fulfil" }]) {
      throwsInvalid(eventWith({ on }), /on must name one stream topic, job or saga/);
    }
    throwsInvalid(eventWith({ on: { topic: 42 } }), /on\.topic must be the name of a stream topic/);
  });
  await t.step("a job or saga that is neither a definition nor a name", () => {
    throwsInvalid(eventWith({ on: { job: 42, state: "dead" } }), /on\.job must be a job/);
    throwsInvalid(eventWith({ on: { saga: {}, state: "failed" } }), /on\.saga must be a saga/);
  });
  await t.step("a state the job or saga never reaches", () => {
    for (const state of [undefined, "running", "queued", "compensated"]) {
      throwsInvalid(
        eventWith({ on: { job: fulfil, state } }),
        /on\.state must be one of completed, failed, dead, cancelled for a job/,
      );
    }
    for (const state of ["dead", "waiting", "running"]) {
      throwsInvalid(
        eventWith({ on: { saga: "refund", state } }),
        /on\.state must be one of completed, compensated, failed, cancelled for a saga/,
      );
    }
  });
  await t.step("an input schema on a trigger on a job or saga", () => {
    throwsInvalid(
      eventWith({ on: { job: fulfil, state: "dead" }, input: Order }),
      /input is for topic messages/,
    );
  });
  await t.step("an empty or padded topic", () => {
    for (const topic of ["", "   ", " orders", "orders\n"]) {
      throwsInvalid(eventWith({ on: { topic } }), /on\.topic must be the name of a stream topic/);
    }
  });
  await t.step("an input that is not a zod schema", () => {
    throwsInvalid(eventWith({ input: { id: "string" } }), /input must be a zod schema/);
  });
});

Deno.test("defineEvent() keeps the literal name and types the event by the schema", () => {
  const placed = defineEvent({
    name: "order-placed",
    on: { topic: "orders" },
    input: Order,
    dispatch: (event) => {
      expectTypeOf(event).toEqualTypeOf<
        EventTriggerEvent<{ id: string; total: number; note: string }>
      >();
      expectTypeOf(event.topic).toEqualTypeOf<string | null>();
      expectTypeOf(event.offset).toEqualTypeOf<string | null>();
      expectTypeOf(event.source).toEqualTypeOf<"event" | "manual" | "replay">();
      return { job: fulfil, input: { orderId: event.payload.id } };
    },
  });
  expectTypeOf(placed.name).toEqualTypeOf<"order-placed">();
  expectTypeOf(placed).toEqualTypeOf<
    EventDefinition<"order-placed", { id: string; total: number; note: string }, typeof fulfil>
  >();
  expectTypeOf(placed).toExtend<TriggerDefinition>();
  expectTypeOf(placed).toExtend<EventDefinition>();
});

Deno.test("defineEvent() on a job or saga keeps its name and state and checks the change", () => {
  const died = defineEvent({
    name: "fulfil-died",
    on: { job: fulfil, state: "dead" },
    dispatch: (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<StateChange>();
      return { job: fulfil, input: { orderId: event.payload.id } };
    },
  });
  deepEqual(died.on, { job: "fulfil", state: "dead" });
  ok(Object.isFrozen(died.on));
  expectTypeOf(died).toEqualTypeOf<EventDefinition<"fulfil-died", StateChange, typeof fulfil>>();
  expectTypeOf(died).toExtend<TriggerDefinition>();
  const refunded = defineEvent({
    name: "refund-failed",
    on: { saga: "refund-order", state: "failed" },
    dispatch: () => null,
  });
  deepEqual(refunded.on, { saga: "refund-order", state: "failed" });
  const change = {
    kind: "job",
    id: "j-1",
    name: "fulfil",
    state: "dead",
    error: "boom",
    at: "2026-12-06T10:00:00.000Z",
    input: { orderId: "o-1" },
  };
  deepEqual(died.input?.parse(change), { ...change, output: null });
  equal(died.input?.safeParse({ ...change, kind: "step" }).success, false);
  equal(refunded.input?.safeParse({ id: "s-1" }).success, false);
});

Deno.test("defineEvent() without a schema hands dispatch an unknown payload", () => {
  defineEvent({
    name: "anything",
    on: { topic: "orders" },
    dispatch: (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<unknown>();
      return null;
    },
  });
});

Deno.test("the compiler refuses an event trigger used wrongly", () => {
  expectTypeOf(misuse).toBeFunction();
});

/** Never called: only compiled. */
function misuse() {
  defineEvent({
    name: "wrong-payload",
    on: { topic: "orders" },
    input: Order,
    // @ts-expect-error: the message has no field "orderId"
    dispatch: (event) => ({ job: fulfil, input: { orderId: event.payload.orderId } }),
  });
  defineEvent({
    name: "wrong-input",
    on: { topic: "orders" },
    input: Order,
    // @ts-expect-error: orderId must be a string
    dispatch: (event) => ({ job: fulfil, input: { orderId: event.payload.total } }),
  });
  // @ts-expect-error: on is required
  defineEvent({ name: "no-topic", dispatch: () => null });
  defineEvent({
    name: "job-state",
    // @ts-expect-error: a job never reaches "compensated"
    on: { job: fulfil, state: "compensated" },
    dispatch: () => null,
  });
}
