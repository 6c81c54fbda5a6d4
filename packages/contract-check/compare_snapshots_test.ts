import { deepEqual, equal } from "node:assert/strict";
import { baseContract } from "@netscript/contracts";
import { z } from "zod";
import { compareContractSets, compareSnapshots, RULES, snapshotContract } from "./mod.ts";

Deno.test("compareSnapshots() names the procedure, the JSON path and the rule's severity", () => {
  const before = snapshotContract({
    notes: {
      list: baseContract.output(
        z.object({ items: z.array(z.object({ id: z.string(), title: z.string() })) }),
      ),
    },
  });
  const after = snapshotContract({
    notes: {
      list: baseContract.output(z.object({ items: z.array(z.object({ id: z.string() })) })),
    },
  });
  deepEqual(compareSnapshots(before, after), [{
    rule: "response-property-removed",
    severity: "breaking",
    procedure: "notes.list",
    path: "output.items[].title",
    message: "notes.list: output.items[].title was always there and is gone",
  }]);
});

Deno.test("compareSnapshots() lists breaking findings first, then warnings, then info", () => {
  const before = snapshotContract({
    a: baseContract.input(z.object({ x: z.string(), gone: z.string() })),
  });
  const after = snapshotContract({
    a: baseContract.input(z.object({ x: z.number(), gone2: z.string().optional() })),
  });
  deepEqual(compareSnapshots(before, after).map((f) => f.severity), [
    "breaking",
    "warning",
    "info",
  ]);
});

Deno.test("compareSnapshots() reports error data changes under the error's path", () => {
  const make = (status: number) =>
    snapshotContract({
      p: baseContract.errors({
        LIMIT: { status, data: z.object({ retryIn: z.number().int().min(0).max(60) }) },
      }),
    });
  const findings = compareSnapshots(make(429), make(503));
  deepEqual(findings.map((f) => [f.rule, f.path]), [[
    "error-status-changed",
    "errors.LIMIT.status",
  ]]);
});

Deno.test("compareContractSets() prefixes each message with its contract", () => {
  const v1 = snapshotContract({ p: baseContract.route({ method: "GET", path: "/p" }) });
  const v2 = snapshotContract({ p: baseContract.route({ method: "POST", path: "/p" }) });
  const [finding] = compareContractSets({ "workers v1": v1 }, { "workers v1": v2 });
  equal(finding!.contract, "workers v1");
  equal(finding!.message, "workers v1 p: method GET → POST");
});

Deno.test("RULES gives each rule a kebab-case id, a severity and a one-line summary", () => {
  for (const [id, rule] of Object.entries(RULES)) {
    equal(/^[a-z]+(-[a-z]+)*$/.test(id), true, id);
    equal(["breaking", "warning", "info"].includes(rule.severity), true, id);
    equal(rule.summary.includes("\n"), false, id);
  }
});
