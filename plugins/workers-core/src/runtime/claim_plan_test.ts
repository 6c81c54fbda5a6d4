import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import { z } from "zod";
import { defineJob } from "../dsl/define_job.ts";
import { claimGroups, kindAtLimit } from "./claim_plan.ts";

const job = (name: string, concurrency?: number) =>
  defineJob({
    name,
    input: z.unknown(),
    handler: () => {},
    ...(concurrency ? { concurrency } : {}),
  });
const running = (counts: Record<string, number>) => (name: string) => counts[name] ?? 0;

Deno.test("claimGroups() claims unlimited kinds together and each limited kind on its own", () => {
  const jobs = [job("mail"), job("export", 2), job("sms"), job("report", 1)];
  deepEqual(claimGroups(jobs, { free: 4, countOf: running({ export: 1 }) }), [
    { names: ["mail", "sms"], limit: 4 },
    { names: ["export"], limit: 1, kindLimit: 2 },
    { names: ["report"], limit: 1, kindLimit: 1 },
  ]);
});

Deno.test("claimGroups() claims nothing without a free slot, and skips kinds at their limit", () => {
  const jobs = [job("mail"), job("export", 2)];
  deepEqual(claimGroups(jobs, { free: 0, countOf: running({}) }), []);
  deepEqual(
    claimGroups(jobs, { free: -2, countOf: running({}) }),
    [],
    "after a lowered concurrency",
  );
  deepEqual(claimGroups([job("export", 2)], { free: 3, countOf: running({ export: 2 }) }), []);
  deepEqual(claimGroups(jobs, { free: 3, countOf: running({ export: 2 }) }), [
    { names: ["mail"], limit: 3 },
  ]);
});

Deno.test("kindAtLimit() tells whether a limited kind is full here", () => {
  const jobs = [job("mail"), job("export", 2)];
  equal(kindAtLimit(jobs, { countOf: running({ mail: 50, export: 1 }) }), false);
  equal(kindAtLimit(jobs, { countOf: running({ export: 2 }) }), true);
});

Deno.test("claimGroups() never plans a kind past its own limit", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ limit: fc.option(fc.integer({ min: 1, max: 5 })), now: fc.nat(6) }), {
        maxLength: 6,
      }),
      fc.integer({ min: -3, max: 10 }),
      (kinds, free) => {
        const jobs = kinds.map((k, i) => job(`k${i}`, k.limit ?? undefined));
        const counts = Object.fromEntries(kinds.map((k, i) => [`k${i}`, k.now]));
        const groups = claimGroups(jobs, { free, countOf: running(counts) });
        return groups.every((g) =>
          g.limit > 0 &&
          (g.kindLimit === undefined
            ? g.limit === free
            : g.names.length === 1 && g.limit + counts[g.names[0]!]! <= g.kindLimit)
        ) && (free > 0 || groups.length === 0);
      },
    ),
  );
});

Deno.test("claimGroups() claims ahead only for kinds without their own limit", () => {
  const jobs = [job("mail"), job("export", 2)];
  deepEqual(claimGroups(jobs, { free: 0, ahead: 50, countOf: running({}) }), [
    { names: ["mail"], limit: 50 },
  ]);
  deepEqual(claimGroups(jobs, { free: 2, ahead: 50, countOf: running({}) }), [
    { names: ["mail"], limit: 52 },
    { names: ["export"], limit: 2, kindLimit: 2 },
  ]);
  deepEqual(claimGroups([job("export", 2)], { free: 0, ahead: 50, countOf: running({}) }), []);
});
