/**
 * The acceptance corpus of the checker: old/new contract pairs built with
 * `baseContract`, each with the exact set of rules it must fire. A rule a
 * case lists under `mustNotFire` is one a neighbouring change would fire;
 * every rule of the catalog has a case that fires it and one that must not.
 */
import { deepEqual, ok } from "node:assert/strict";
import type { AnyContractRouter } from "@orpc/contract";
import { baseContract } from "@netscript/contracts";
import { z } from "zod";
import { compareContractSets, type RuleId, RULES, snapshotContract } from "./mod.ts";

interface Case {
  name: string;
  before: Record<string, AnyContractRouter>;
  after: Record<string, AnyContractRouter>;
  fires: RuleId[];
  mustNotFire: RuleId[];
}

const get = baseContract.route({ method: "GET", path: "/notes/{id}" });
const input = (schema: z.ZodType) => ({ c: { p: baseContract.input(schema) } });
const output = (schema: z.ZodType) => ({ c: { p: baseContract.output(schema) } });
const field = (schema: z.ZodType) => z.object({ f: schema });
const inField = (schema: z.ZodType) => input(field(schema));
const outField = (schema: z.ZodType) => output(field(schema));
const errors = (map: Record<string, { status?: number; message?: string; data?: z.ZodType }>) => ({
  c: { p: baseContract.errors(map) },
});

const CASES: Case[] = [
  {
    name: "removing a procedure",
    before: { c: { a: get, b: get } },
    after: { c: { a: get } },
    fires: ["procedure-removed"],
    mustNotFire: ["procedure-added"],
  },
  {
    name: "adding a procedure",
    before: { c: { a: get } },
    after: { c: { a: get, b: get } },
    fires: ["procedure-added"],
    mustNotFire: ["procedure-removed"],
  },
  {
    name: "renaming a procedure",
    before: { c: { a: get } },
    after: { c: { b: get } },
    fires: ["procedure-removed", "procedure-added"],
    mustNotFire: [],
  },
  {
    name: "changing the method",
    before: { c: { p: get } },
    after: { c: { p: baseContract.route({ method: "PUT", path: "/notes/{id}" }) } },
    fires: ["route-method-changed"],
    mustNotFire: ["route-path-changed"],
  },
  {
    name: "changing the path",
    before: { c: { p: get } },
    after: { c: { p: baseContract.route({ method: "GET", path: "/memos/{id}" }) } },
    fires: ["route-path-changed"],
    mustNotFire: ["route-method-changed"],
  },
  {
    name: "writing out the default route",
    before: { c: { p: baseContract } },
    after: { c: { p: baseContract.route({ method: "POST", path: "/p" }) } },
    fires: [],
    mustNotFire: ["route-method-changed", "route-path-changed", "route-success-status-changed"],
  },
  {
    name: "changing the success status",
    before: { c: { p: baseContract.route({ path: "/n" }) } },
    after: { c: { p: baseContract.route({ path: "/n", successStatus: 201 }) } },
    fires: ["route-success-status-changed"],
    mustNotFire: [],
  },
  {
    name: "changing the summary and tags",
    before: { c: { p: baseContract.route({ path: "/n", summary: "a" }) } },
    after: { c: { p: baseContract.route({ path: "/n", summary: "b", tags: ["x"] }) } },
    fires: [],
    mustNotFire: ["route-path-changed"],
  },
  {
    name: "making an optional input required",
    before: input(z.object({ q: z.string() }).optional()),
    after: input(z.object({ q: z.string() })),
    fires: ["request-became-required"],
    mustNotFire: [],
  },
  {
    name: "making a required input optional",
    before: input(z.object({ q: z.string() })),
    after: input(z.object({ q: z.string() }).optional()),
    fires: [],
    mustNotFire: ["request-became-required"],
  },
  {
    name: "giving a procedure without input an input",
    before: { c: { p: baseContract } },
    after: input(z.object({ q: z.string() })),
    fires: ["request-became-required", "request-type-changed"],
    mustNotFire: [],
  },
  {
    name: "making an output optional",
    before: output(z.object({ id: z.string() })),
    after: output(z.object({ id: z.string() }).optional()),
    fires: ["response-became-optional"],
    mustNotFire: [],
  },
  {
    name: "making an optional output required",
    before: output(z.object({ id: z.string() }).optional()),
    after: output(z.object({ id: z.string() })),
    fires: [],
    mustNotFire: ["response-became-optional"],
  },
  {
    name: "refusing null in an input field",
    before: inField(z.string().nullable()),
    after: inField(z.string()),
    fires: ["request-became-not-nullable"],
    mustNotFire: [],
  },
  {
    name: "accepting null in an input field",
    before: inField(z.string()),
    after: inField(z.string().nullable()),
    fires: [],
    mustNotFire: ["request-became-not-nullable", "request-type-changed"],
  },
  {
    name: "returning null in an output field",
    before: outField(z.string()),
    after: outField(z.string().nullable()),
    fires: ["response-became-nullable"],
    mustNotFire: [],
  },
  {
    name: "no longer returning null in an output field",
    before: outField(z.string().nullable()),
    after: outField(z.string()),
    fires: [],
    mustNotFire: ["response-became-nullable"],
  },
  {
    name: "an input field from string to number",
    before: inField(z.string()),
    after: inField(z.number()),
    fires: ["request-type-changed"],
    mustNotFire: [],
  },
  {
    name: "an input field from number to integer",
    before: inField(z.number()),
    after: inField(z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1)),
    fires: ["request-type-changed"],
    mustNotFire: [],
  },
  {
    name: "an input field from integer to number",
    before: inField(z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1)),
    after: inField(z.number()),
    fires: [],
    mustNotFire: ["request-type-changed"],
  },
  {
    name: "an output field from integer to number",
    before: outField(z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1)),
    after: outField(z.number()),
    fires: ["response-type-changed"],
    mustNotFire: [],
  },
  {
    name: "an output field from number to integer",
    before: outField(z.number()),
    after: outField(z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1)),
    fires: [],
    mustNotFire: ["response-type-changed"],
  },
  {
    name: "an output field from string to unknown",
    before: outField(z.string()),
    after: outField(z.unknown()),
    fires: ["response-type-changed", "response-property-became-optional"],
    mustNotFire: [],
  },
  {
    name: "an input union losing a variant",
    before: inField(z.union([z.string(), z.number()])),
    after: inField(z.string()),
    fires: ["request-union-variant-removed"],
    mustNotFire: [],
  },
  {
    name: "an input field becoming a union",
    before: inField(z.string()),
    after: inField(z.union([z.string(), z.number()])),
    fires: [],
    mustNotFire: ["request-union-variant-removed", "request-type-changed"],
  },
  {
    name: "an output discriminated union gaining a variant",
    before: output(
      z.discriminatedUnion("t", [z.object({ t: z.literal("a") }), z.object({ t: z.literal("b") })]),
    ),
    after: output(
      z.discriminatedUnion("t", [
        z.object({ t: z.literal("a") }),
        z.object({ t: z.literal("b") }),
        z.object({ t: z.literal("c") }),
      ]),
    ),
    fires: ["response-union-variant-added"],
    mustNotFire: [],
  },
  {
    name: "an output discriminated union losing a variant",
    before: output(
      z.discriminatedUnion("t", [
        z.object({ t: z.literal("a") }),
        z.object({ t: z.literal("b") }),
        z.object({ t: z.literal("c") }),
      ]),
    ),
    after: output(
      z.discriminatedUnion("t", [z.object({ t: z.literal("a") }), z.object({ t: z.literal("b") })]),
    ),
    fires: [],
    mustNotFire: ["response-union-variant-added"],
  },
  {
    name: "an input string becoming an enum",
    before: inField(z.string()),
    after: inField(z.enum(["a", "b"])),
    fires: ["request-became-enum"],
    mustNotFire: [],
  },
  {
    name: "an input enum becoming a string",
    before: inField(z.enum(["a", "b"])),
    after: inField(z.string()),
    fires: [],
    mustNotFire: ["request-became-enum", "request-enum-value-removed"],
  },
  {
    name: "an input enum losing a value",
    before: inField(z.enum(["a", "b"])),
    after: inField(z.enum(["a"])),
    fires: ["request-enum-value-removed"],
    mustNotFire: ["request-enum-value-added"],
  },
  {
    name: "an input enum gaining a value",
    before: inField(z.enum(["a"])),
    after: inField(z.enum(["a", "b"])),
    fires: ["request-enum-value-added"],
    mustNotFire: ["request-enum-value-removed"],
  },
  {
    name: "an input literal changing",
    before: inField(z.literal("a")),
    after: inField(z.literal("b")),
    fires: ["request-enum-value-removed", "request-enum-value-added"],
    mustNotFire: [],
  },
  {
    name: "an output enum gaining a value",
    before: outField(z.enum(["queued", "done"])),
    after: outField(z.enum(["queued", "done", "cancelled"])),
    fires: ["response-enum-value-added"],
    mustNotFire: ["response-enum-value-removed"],
  },
  {
    name: "an output enum losing a value",
    before: outField(z.enum(["queued", "done", "cancelled"])),
    after: outField(z.enum(["queued", "done"])),
    fires: ["response-enum-value-removed"],
    mustNotFire: ["response-enum-value-added"],
  },
  {
    name: "an output enum becoming a string",
    before: outField(z.enum(["a", "b"])),
    after: outField(z.string()),
    fires: ["response-enum-removed"],
    mustNotFire: [],
  },
  {
    name: "an output string becoming an enum",
    before: outField(z.string()),
    after: outField(z.enum(["a", "b"])),
    fires: [],
    mustNotFire: ["response-enum-removed", "response-type-changed"],
  },
  {
    name: "tightening the bounds of input fields",
    before: input(
      z.object({ s: z.string().max(10), n: z.number().max(10), a: z.array(z.string()).max(10) }),
    ),
    after: input(
      z.object({ s: z.string().max(5), n: z.number().lt(10), a: z.array(z.string()).max(5) }),
    ),
    fires: [
      "request-max-length-decreased",
      "request-maximum-decreased",
      "request-max-items-decreased",
    ],
    mustNotFire: [],
  },
  {
    name: "raising the lower bounds of input fields",
    before: input(z.object({ s: z.string(), n: z.number().min(0), a: z.array(z.string()) })),
    after: input(
      z.object({ s: z.string().min(1), n: z.number().min(1), a: z.array(z.string()).min(1) }),
    ),
    fires: [
      "request-min-length-increased",
      "request-minimum-increased",
      "request-min-items-increased",
    ],
    mustNotFire: [],
  },
  {
    name: "loosening the bounds of input fields",
    before: input(
      z.object({
        s: z.string().min(2).max(5),
        n: z.number().gt(0).max(5),
        a: z.array(z.string()).min(2).max(5),
      }),
    ),
    after: input(
      z.object({ s: z.string().max(10), n: z.number().min(0), a: z.array(z.string()).min(1) }),
    ),
    fires: [],
    mustNotFire: [
      "request-max-length-decreased",
      "request-min-length-increased",
      "request-maximum-decreased",
      "request-minimum-increased",
      "request-max-items-decreased",
      "request-min-items-increased",
    ],
  },
  {
    name: "loosening the bounds of output fields",
    before: output(
      z.object({
        s: z.string().min(1).max(5),
        n: z.number().min(0).max(5),
        a: z.array(z.string()).min(1).max(5),
      }),
    ),
    after: output(
      z.object({ s: z.string().min(0).max(10), n: z.number().max(10), a: z.array(z.string()) }),
    ),
    fires: [
      "response-max-length-increased",
      "response-min-length-decreased",
      "response-maximum-increased",
      "response-minimum-decreased",
      "response-max-items-increased",
      "response-min-items-decreased",
    ],
    mustNotFire: [],
  },
  {
    name: "tightening the bounds of output fields",
    before: output(
      z.object({ s: z.string().max(10), n: z.number().min(0), a: z.array(z.string()) }),
    ),
    after: output(
      z.object({
        s: z.string().min(1).max(5),
        n: z.number().gt(0).max(5),
        a: z.array(z.string()).min(1).max(5),
      }),
    ),
    fires: [],
    mustNotFire: [
      "response-max-length-increased",
      "response-min-length-decreased",
      "response-maximum-increased",
      "response-minimum-decreased",
      "response-max-items-increased",
      "response-min-items-decreased",
    ],
  },
  {
    name: "adding a pattern to an input field",
    before: inField(z.string()),
    after: inField(z.string().regex(/^[a-z]+$/)),
    fires: ["request-pattern-added"],
    mustNotFire: ["request-pattern-changed"],
  },
  {
    name: "changing the pattern of an input field",
    before: inField(z.string().regex(/^[a-z]+$/)),
    after: inField(z.string().regex(/^[a-z0-9]+$/)),
    fires: ["request-pattern-changed"],
    mustNotFire: ["request-pattern-added"],
  },
  {
    name: "removing the pattern of an input field",
    before: inField(z.string().regex(/^[a-z]+$/)),
    after: inField(z.string()),
    fires: [],
    mustNotFire: ["request-pattern-added", "request-pattern-changed"],
  },
  {
    name: "removing the pattern of an output field",
    before: outField(z.string().regex(/^[a-z]+$/)),
    after: outField(z.string()),
    fires: ["response-pattern-removed"],
    mustNotFire: ["response-pattern-changed"],
  },
  {
    name: "changing the pattern of an output field",
    before: outField(z.string().regex(/^[a-z]+$/)),
    after: outField(z.string().regex(/^[a-z0-9]+$/)),
    fires: ["response-pattern-changed"],
    mustNotFire: ["response-pattern-removed"],
  },
  {
    name: "adding a pattern to an output field",
    before: outField(z.string()),
    after: outField(z.string().regex(/^[a-z]+$/)),
    fires: [],
    mustNotFire: ["response-pattern-removed", "response-pattern-changed"],
  },
  {
    name: "an input field becoming an email",
    before: inField(z.string()),
    after: inField(z.email()),
    fires: ["request-format-changed"],
    mustNotFire: [],
  },
  {
    name: "an input date-time becoming any string",
    before: inField(z.iso.datetime()),
    after: inField(z.string()),
    fires: [],
    mustNotFire: ["request-format-changed", "request-pattern-added", "request-pattern-changed"],
  },
  {
    name: "an output date-time becoming any string",
    before: outField(z.iso.datetime()),
    after: outField(z.string()),
    // zod's datetime pattern is part of the schema the document shows, so it goes too.
    fires: ["response-format-changed", "response-pattern-removed"],
    mustNotFire: [],
  },
  {
    name: "an output string becoming a date-time",
    before: outField(z.string()),
    after: outField(z.iso.datetime()),
    fires: [],
    mustNotFire: ["response-format-changed", "response-pattern-removed"],
  },
  {
    name: "adding a required input field",
    before: input(z.object({ title: z.string() })),
    after: input(z.object({ title: z.string(), body: z.string() })),
    fires: ["request-required-property-added"],
    mustNotFire: ["request-property-added"],
  },
  {
    name: "adding an optional input field",
    before: input(z.object({ title: z.string() })),
    after: input(z.object({ title: z.string(), body: z.string().optional() })),
    fires: ["request-property-added"],
    mustNotFire: ["request-required-property-added"],
  },
  {
    name: "adding an input field with a default",
    before: input(z.object({ title: z.string() })),
    after: input(z.object({ title: z.string(), limit: z.number().default(20) })),
    fires: ["request-property-added"],
    mustNotFire: ["request-required-property-added"],
  },
  {
    name: "making an optional input field required",
    before: input(z.object({ title: z.string().optional() })),
    after: input(z.object({ title: z.string() })),
    fires: ["request-property-became-required"],
    mustNotFire: [],
  },
  {
    name: "making a required input field optional",
    before: input(z.object({ title: z.string() })),
    after: input(z.object({ title: z.string().optional() })),
    fires: [],
    mustNotFire: ["request-property-became-required", "request-property-removed"],
  },
  {
    name: "removing an input field",
    before: input(z.object({ title: z.string(), body: z.string() })),
    after: input(z.object({ title: z.string() })),
    fires: ["request-property-removed"],
    mustNotFire: [],
  },
  {
    name: "removing a required output field",
    before: output(z.object({ id: z.string(), title: z.string() })),
    after: output(z.object({ id: z.string() })),
    fires: ["response-property-removed"],
    mustNotFire: ["response-optional-property-removed"],
  },
  {
    name: "removing an optional output field",
    before: output(z.object({ id: z.string(), title: z.string().optional() })),
    after: output(z.object({ id: z.string() })),
    fires: ["response-optional-property-removed"],
    mustNotFire: ["response-property-removed"],
  },
  {
    name: "making an output field optional",
    before: output(z.object({ id: z.string() })),
    after: output(z.object({ id: z.string().optional() })),
    fires: ["response-property-became-optional"],
    mustNotFire: [],
  },
  {
    name: "making an optional output field required",
    before: output(z.object({ id: z.string().optional() })),
    after: output(z.object({ id: z.string() })),
    fires: [],
    mustNotFire: ["response-property-became-optional", "response-property-added"],
  },
  {
    name: "adding an output field",
    before: output(z.object({ id: z.string() })),
    after: output(z.object({ id: z.string(), title: z.string() })),
    fires: ["response-property-added"],
    mustNotFire: ["response-property-removed", "response-type-changed"],
  },
  {
    name: "changing a field of the objects in an output array",
    before: output(z.array(z.object({ id: z.string(), title: z.string() }))),
    after: output(z.array(z.object({ id: z.string() }))),
    fires: ["response-property-removed"],
    mustNotFire: [],
  },
  {
    name: "changing a record's values",
    before: input(z.record(z.string(), z.string())),
    after: input(z.record(z.string(), z.string().max(3))),
    fires: ["request-max-length-decreased"],
    mustNotFire: [],
  },
  {
    name: "declaring a new error",
    before: { c: { p: baseContract } },
    after: errors({ OUT_OF_STOCK: { status: 422 } }),
    fires: ["error-added"],
    mustNotFire: ["error-removed"],
  },
  {
    name: "removing an error",
    before: errors({ OUT_OF_STOCK: { status: 422 } }),
    after: { c: { p: baseContract } },
    fires: ["error-removed"],
    mustNotFire: ["error-added"],
  },
  {
    name: "changing an error's status",
    before: errors({ OUT_OF_STOCK: { status: 422 } }),
    after: errors({ OUT_OF_STOCK: { status: 409 } }),
    fires: ["error-status-changed"],
    mustNotFire: [],
  },
  {
    name: "changing an error's message",
    before: errors({ OUT_OF_STOCK: { status: 422, message: "Out of stock" } }),
    after: errors({ OUT_OF_STOCK: { status: 422, message: "Sold out" } }),
    fires: [],
    mustNotFire: ["error-status-changed"],
  },
  {
    name: "making a field of an error's data optional",
    before: errors({ OUT_OF_STOCK: { status: 422, data: z.object({ sku: z.string() }) } }),
    after: errors({
      OUT_OF_STOCK: { status: 422, data: z.object({ sku: z.string().optional() }) },
    }),
    fires: ["response-property-became-optional"],
    mustNotFire: [],
  },
  {
    name: "the same contract twice",
    before: input(z.object({ title: z.string().min(1), tags: z.array(z.enum(["a", "b"])).max(3) })),
    after: input(z.object({ title: z.string().min(1), tags: z.array(z.enum(["a", "b"])).max(3) })),
    fires: [],
    mustNotFire: ["request-type-changed", "request-union-variant-removed"],
  },
  {
    name: "removing a contract",
    before: { c: { p: get }, old: { p: get } },
    after: { c: { p: get } },
    fires: ["contract-removed"],
    mustNotFire: ["contract-added"],
  },
  {
    name: "adding a contract",
    before: { c: { p: get } },
    after: { c: { p: get }, next: { p: get } },
    fires: ["contract-added"],
    mustNotFire: ["contract-removed"],
  },
];

function _rules(testCase: Case): RuleId[] {
  const snapshot = (set: Record<string, AnyContractRouter>) =>
    Object.fromEntries(
      Object.entries(set).map(([name, router]) => [name, snapshotContract(router)]),
    );
  const findings = compareContractSets(snapshot(testCase.before), snapshot(testCase.after));
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}

Deno.test("compareContractSets() fires exactly the expected rules on each pair of the corpus", async (t) => {
  ok(CASES.length >= 40, `the corpus has ${CASES.length} pairs`);
  for (const testCase of CASES) {
    await t.step(testCase.name, () => {
      const rules = _rules(testCase);
      deepEqual(rules, [...testCase.fires].sort());
      for (const rule of testCase.mustNotFire) ok(!rules.includes(rule), `${rule} fired`);
    });
  }
});

Deno.test("every rule of the catalog has a corpus case that fires it and one that must not", () => {
  for (const rule of Object.keys(RULES) as RuleId[]) {
    ok(CASES.some((c) => c.fires.includes(rule)), `no case fires ${rule}`);
    ok(CASES.some((c) => c.mustNotFire.includes(rule)), `no case shows ${rule} not firing`);
  }
});
