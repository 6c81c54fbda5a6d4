/**
 * Type-level tests: a router must implement its contract exactly. These
 * assertions are checked by the compiler when the test file is type-checked.
 */
import { expectTypeOf } from "expect-type";
import { baseContract } from "@netscript/contracts";
import { z } from "zod";
import { createService, implement, type ServiceContext } from "./mod.ts";

const contract = {
  get: baseContract
    .route({ method: "GET", path: "/items/{id}" })
    .input(z.object({ id: z.string() }))
    .output(z.object({ id: z.string(), price: z.number() })),
};

Deno.test("handlers receive typed input, context and the contract's errors", () => {
  const os = implement(contract).$context<ServiceContext>();
  const router = os.router({
    get: os.get.handler(({ input, context, errors }) => {
      expectTypeOf(input).toEqualTypeOf<{ id: string }>();
      expectTypeOf(context.headers).toEqualTypeOf<Headers>();
      expectTypeOf(errors).toHaveProperty("NOT_FOUND");
      expectTypeOf(errors).toHaveProperty("CONFLICT");
      return { id: input.id, price: 1 };
    }),
  });
  createService({ name: "items", contract, router });
});

Deno.test("a router that does not match its contract does not compile", () => {
  const os = implement(contract);
  // @ts-expect-error: price must be a number
  os.get.handler(() => ({ id: "1", price: "free" }));
  // @ts-expect-error: the router misses the `get` procedure
  createService({ name: "items", contract, router: os.router({}) });
});
