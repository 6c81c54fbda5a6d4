/**
 * Type-level tests: what the typed client infers from a contract. These
 * assertions are checked by the compiler when the test file is type-checked;
 * the runtime test only makes the file part of the suite.
 */
import { expectTypeOf } from "expect-type";
import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
import { z } from "zod";
import { defineServices, isDefinedError, safe } from "./mod.ts";

const User = z.object({ id: z.string(), name: z.string() });
const contract = {
  users: {
    list: baseContract
      .route({ method: "GET", path: "/users" })
      .input(OffsetPaginationQuerySchema)
      .output(paginatedSchema(User)),
    get: baseContract
      .route({ method: "GET", path: "/users/{id}" })
      .errors({ USER_SUSPENDED: { status: 423, data: z.object({ until: z.string() }) } })
      .input(z.object({ id: z.string() }))
      .output(User),
  },
};

const { clients } = defineServices({
  accounts: { contract, url: "http://accounts.test" },
});

Deno.test("typed clients infer inputs, outputs and errors from the contract", () => {
  expectTypeOf(clients.accounts.users.get).parameter(0).toEqualTypeOf<{ id: string }>();
  expectTypeOf(clients.accounts.users.get).returns.resolves.toEqualTypeOf<
    { id: string; name: string }
  >();
  expectTypeOf(clients.accounts.users.list).parameter(0).toEqualTypeOf<
    { limit?: number | string | undefined; offset?: number | string | undefined }
  >();
  expectTypeOf(clients.accounts.users.list).returns.resolves.toEqualTypeOf<{
    items: { id: string; name: string }[];
    total: number;
    limit: number;
    offset: number;
  }>();
  expectTypeOf(clients).not.toHaveProperty("billing");
  expectTypeOf(misuse).toBeFunction();
});

/** Never called: only compiled, so the expected errors are checked without a request. */
function misuse() {
  // @ts-expect-error: the id must be a string
  clients.accounts.users.get({ id: 1 });
  // @ts-expect-error: unknown procedure
  clients.accounts.users.remove;
}

Deno.test("declared errors narrow to a typed union of codes and data", () => {
  expectTypeOf(narrowErrors).toBeFunction();
});

/** Never called: only compiled, so the narrowing is checked without a request. */
async function narrowErrors() {
  const { error } = await safe(clients.accounts.users.get({ id: "1" }));
  if (isDefinedError(error)) {
    expectTypeOf(error.code).toEqualTypeOf<
      | "BAD_REQUEST"
      | "UNAUTHORIZED"
      | "FORBIDDEN"
      | "NOT_FOUND"
      | "CONFLICT"
      | "TOO_MANY_REQUESTS"
      | "INTERNAL_SERVER_ERROR"
      | "SERVICE_UNAVAILABLE"
      | "USER_SUSPENDED"
    >();
    if (error.code === "USER_SUSPENDED") {
      expectTypeOf(error.data).toEqualTypeOf<{ until: string }>();
    }
    if (error.code === "NOT_FOUND") {
      expectTypeOf(error.data).toEqualTypeOf<
        { resource?: string | undefined; id?: string | undefined } | undefined
      >();
    }
    if (error.code === "BAD_REQUEST") {
      expectTypeOf(error.data.issues).items.toEqualTypeOf<
        { path: (string | number)[]; message: string; code?: string | undefined }
      >();
    }
  }
}
