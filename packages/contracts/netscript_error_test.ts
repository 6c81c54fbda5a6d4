import { deepEqual, ok } from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import {
  isNetScriptError,
  isStoreError,
  NetScriptError,
  type NetScriptErrorJson,
  type StoreErrorCode,
} from "./mod.ts";

Deno.test("NetScriptError carries code, message and frozen details", () => {
  const error = new NetScriptError("PLUGIN_DUPLICATE_NAME", 'Cannot register plugin "a"', {
    details: { plugin: "a" },
  });
  deepEqual(error.code, "PLUGIN_DUPLICATE_NAME");
  deepEqual(error.message, 'Cannot register plugin "a"');
  deepEqual(error.name, "NetScriptError");
  ok(Object.isFrozen(error.details));
  ok(error instanceof Error);
});

Deno.test("NetScriptError serialises to JSON without the stack", () => {
  const cause = new Error("low level");
  const error = new NetScriptError("X", "High level", { details: { value: 1 }, cause });
  deepEqual(JSON.parse(JSON.stringify(error)), {
    name: "NetScriptError",
    code: "X",
    message: "High level",
    details: { value: 1 },
  });
  deepEqual(error.cause, cause);
});

Deno.test("NetScriptError subclasses keep their own name", () => {
  class StreamUnsupportedOperationError extends NetScriptError {}
  const error = new StreamUnsupportedOperationError("STREAM_UNSUPPORTED", "No");
  deepEqual(error.name, "StreamUnsupportedOperationError");
  ok(isNetScriptError(error, "STREAM_UNSUPPORTED"));
});

Deno.test("isNetScriptError() checks the type and, when given, the code", () => {
  const error = new NetScriptError("A", "a");
  ok(isNetScriptError(error));
  ok(isNetScriptError(error, "A"));
  ok(!isNetScriptError(error, "B"));
  ok(!isNetScriptError(new Error("plain")));
  ok(!isNetScriptError({ code: "A" }));
});

Deno.test("NetScriptError is generic over its code", async (t) => {
  const CATALOG = { BILLING_DECLINED: "declined; try another card" } as const;
  type BillingErrorCode = keyof typeof CATALOG;

  await t.step("the code is inferred from the argument, or fixed by a type argument", () => {
    expectTypeOf(new NetScriptError("A", "a").code).toEqualTypeOf<"A">();
    const typed = new NetScriptError<BillingErrorCode>("BILLING_DECLINED", "no");
    expectTypeOf(typed.code).toEqualTypeOf<BillingErrorCode>();
    expectTypeOf(typed.toJSON().code).toEqualTypeOf<BillingErrorCode>();
    // @ts-expect-error a code outside the catalog does not compile
    new NetScriptError<BillingErrorCode>("BILLING_DECLIND", "typo");
  });

  await t.step("NetScriptError alone is NetScriptError<string>, and every error is one", () => {
    expectTypeOf<NetScriptError>().toEqualTypeOf<NetScriptError<string>>();
    expectTypeOf<NetScriptError<BillingErrorCode>>().toExtend<NetScriptError>();
    expectTypeOf<NetScriptErrorJson>().toEqualTypeOf<NetScriptErrorJson<string>>();
    class Declined extends NetScriptError<"BILLING_DECLINED"> {}
    expectTypeOf(new Declined("BILLING_DECLINED", "no").code).toEqualTypeOf<"BILLING_DECLINED">();
  });

  await t.step("isNetScriptError() narrows to the code it is given", () => {
    const caught: unknown = new NetScriptError<BillingErrorCode>("BILLING_DECLINED", "no");
    if (isNetScriptError(caught, "BILLING_DECLINED")) {
      expectTypeOf(caught).toEqualTypeOf<NetScriptError<"BILLING_DECLINED">>();
    }
    if (isNetScriptError(caught)) expectTypeOf(caught).toEqualTypeOf<NetScriptError<string>>();
    if (isNetScriptError<BillingErrorCode>(caught, "BILLING_DECLINED")) {
      expectTypeOf(caught.code).toEqualTypeOf<BillingErrorCode>();
    }
    // @ts-expect-error with the catalog as type argument, a code outside it does not compile
    isNetScriptError<BillingErrorCode>(caught, "BILLING_DECLIND");
    ok(isNetScriptError(caught, "BILLING_DECLINED"));
  });

  await t.step("isStoreError() narrows to the store codes", () => {
    const caught: unknown = new NetScriptError("STORE_UNAVAILABLE", "down");
    if (isStoreError(caught)) expectTypeOf(caught.code).toEqualTypeOf<StoreErrorCode>();
    ok(isStoreError(caught));
  });
});
