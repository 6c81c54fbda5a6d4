import { deepEqual, ok } from "node:assert/strict";
import fc from "fast-check";
import { z } from "zod";
import { OffsetPaginationQuerySchema, paginate, paginatedSchema } from "./mod.ts";

Deno.test("OffsetPaginationQuerySchema applies the defaults", () => {
  deepEqual(OffsetPaginationQuerySchema.parse({}), { limit: 20, offset: 0 });
});

Deno.test("OffsetPaginationQuerySchema accepts query-string values", () => {
  deepEqual(OffsetPaginationQuerySchema.parse({ limit: "5", offset: "10" }), {
    limit: 5,
    offset: 10,
  });
});

Deno.test("OffsetPaginationQuerySchema rejects out-of-range and non-integer values", async (t) => {
  const cases: [string, unknown][] = [
    ["limit 0", { limit: 0 }],
    ["limit 101", { limit: 101 }],
    ["limit 2.5", { limit: 2.5 }],
    ["limit abc", { limit: "abc" }],
    ["offset -1", { offset: -1 }],
    ["offset 1.5", { offset: "1.5" }],
  ];
  for (const [label, input] of cases) {
    await t.step(label, () => {
      const result = OffsetPaginationQuerySchema.safeParse(input);
      ok(!result.success, `${label} should be rejected`);
      deepEqual(result.error.issues.length, 1);
    });
  }
});

Deno.test("OffsetPaginationQuerySchema accepts every integer limit 1..100 and offset ≥ 0", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100 }),
      fc.nat(),
      fc.boolean(),
      (limit, offset, asStrings) => {
        const input = asStrings
          ? { limit: String(limit), offset: String(offset) }
          : { limit, offset };
        deepEqual(OffsetPaginationQuerySchema.parse(input), { limit, offset });
      },
    ),
  );
});

Deno.test("paginatedSchema() validates a page of items", () => {
  const schema = paginatedSchema(z.object({ id: z.string() }));
  const page = { items: [{ id: "a" }], total: 1, limit: 20, offset: 0 };
  deepEqual(schema.parse(page), page);
  ok(!schema.safeParse({ ...page, total: -1 }).success);
  ok(!schema.safeParse({ ...page, items: [{ id: 1 }] }).success);
});

Deno.test("paginate() cuts the requested window and reports the total", () => {
  const all = ["a", "b", "c", "d", "e"];
  deepEqual(paginate(all, { limit: 2, offset: 1 }), {
    items: ["b", "c"],
    total: 5,
    limit: 2,
    offset: 1,
  });
  deepEqual(paginate(all, { limit: 10, offset: 4 }).items, ["e"]);
  deepEqual(paginate(all, { limit: 10, offset: 9 }).items, []);
});
