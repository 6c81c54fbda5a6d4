import { deepEqual, equal, match, throws } from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { defineSaga, isSagaDefinition } from "./define_saga.ts";
import { sagaCatalog } from "./saga_list.ts";

const input = z.object({ orderId: z.string() });

Deno.test("defineSaga fills in the version and the retry policy and keeps the types", () => {
  const saga = defineSaga({ name: "place-order", input, run: ({ orderId }) => orderId.length });
  equal(saga.version, 1);
  deepEqual(saga.retry, { attempts: 3, backoff: "exponential", delay: 1_000, maxDelay: 3_600_000 });
  equal(isSagaDefinition(saga), true);
  equal(isSagaDefinition({ kind: "saga" }), false);
  expectTypeOf(saga.name).toEqualTypeOf<"place-order">();
  expectTypeOf(saga.run).returns.toEqualTypeOf<number | Promise<number>>();
});

Deno.test("defineSaga names every invalid option at once", () => {
  throws(
    () =>
      defineSaga({
        name: "Bad Name",
        input: {} as z.ZodObject,
        version: 0,
        retry: { attempts: 0, backoff: "linear" as "fixed" },
        run: undefined as unknown as () => void,
      }),
    (error: Error & { code?: string; details?: { problems: string[] } }) => {
      equal(error.code, "SAGAS_INVALID_DEFINITION");
      match(error.message, /^Invalid saga "Bad Name": name "Bad Name" must match/);
      equal(error.details!.problems.length, 6);
      return true;
    },
  );
});

Deno.test("a catalog finds each version and the newest, and refuses a repeated name and version", () => {
  const v1 = defineSaga({ name: "onboard", input, run: () => 1 });
  const v3 = defineSaga({ name: "onboard", version: 3, input, run: () => 3 });
  const other = defineSaga({ name: "audit", input, run: () => 0 });
  const catalog = sagaCatalog([
    { file: "sagas/onboard_v3.ts", definition: v3 },
    { file: "sagas/onboard.ts", definition: v1 },
    { file: "sagas/audit.ts", definition: other },
  ]);
  deepEqual(catalog.names, ["audit", "onboard"]);
  equal(catalog.latest("onboard"), v3);
  equal(catalog.at("onboard", 1), v1);
  equal(catalog.at("onboard", 2), undefined);
  deepEqual(catalog.all().map((s) => `${s.name}@${s.version}`), [
    "audit@1",
    "onboard@1",
    "onboard@3",
  ]);
  throws(
    () =>
      sagaCatalog([
        { file: "sagas/a.ts", definition: v1 },
        { file: "sagas/b.ts", definition: defineSaga({ name: "onboard", input, run: () => 2 }) },
      ]),
    {
      code: "SAGAS_DUPLICATE_SAGA",
      message: /sagas\/a\.ts and sagas\/b\.ts both define version 1/,
    },
  );
  throws(
    () => sagaCatalog([{ file: "sagas/readme.ts", definition: { hello: "world" } }]),
    { code: "SAGAS_INVALID_DEFINITION", message: /sagas\/readme\.ts does not hold a saga/ },
  );
});
