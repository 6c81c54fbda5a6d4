import { deepEqual } from "node:assert/strict";
import { applyIgnores, type ContractFinding, parseIgnoreFile } from "./mod.ts";

const finding = (procedure: string, path: string): ContractFinding => ({
  rule: "response-property-removed",
  severity: "breaking",
  procedure,
  path,
  message: `${procedure}: ${path} gone`,
  contract: "app apiContract",
});

Deno.test("parseIgnoreFile() reads entries with their reasons", () => {
  const text = JSON.stringify({
    ignore: [
      { rule: "procedure-removed", procedure: "legacy.ping", reason: " no caller since 2025 " },
      {
        rule: "error-removed",
        procedure: "p",
        path: "errors.X",
        contract: "workers v1",
        reason: "never raised",
      },
    ],
  });
  deepEqual(parseIgnoreFile(text), {
    ok: true,
    entries: [
      { rule: "procedure-removed", procedure: "legacy.ping", reason: "no caller since 2025" },
      {
        rule: "error-removed",
        procedure: "p",
        path: "errors.X",
        contract: "workers v1",
        reason: "never raised",
      },
    ],
  });
});

Deno.test("parseIgnoreFile() refuses entries without a reason or with an unknown rule, naming each", () => {
  const text = JSON.stringify({
    ignore: [
      { rule: "procedure-removed", procedure: "a" },
      { rule: "procedure-removed", procedure: "b", reason: "  " },
      { rule: "procedure-gone", procedure: "c", reason: "x" },
      { rule: "procedure-removed", reason: "x" },
      "nope",
    ],
  });
  deepEqual(parseIgnoreFile(text), {
    ok: false,
    problems: [
      "ignore[0] has no reason; say why the change may ship",
      "ignore[1] has no reason; say why the change may ship",
      'ignore[2].rule "procedure-gone" is not a rule id',
      "ignore[3].procedure must be a string",
      "ignore[4] is not an object",
    ],
  });
});

Deno.test("parseIgnoreFile() refuses text that is not JSON or has no ignore array", () => {
  deepEqual(parseIgnoreFile("[]"), {
    ok: false,
    problems: ['the file must be a JSON object with an "ignore" array'],
  });
  deepEqual(parseIgnoreFile("{").ok, false);
});

Deno.test("applyIgnores() matches rule and procedure, and path and contract when given", () => {
  const findings = [
    finding("notes.get", "output.title"),
    finding("notes.get", "output.body"),
    finding("notes.list", "output.x"),
  ];
  const result = applyIgnores(findings, [
    {
      rule: "response-property-removed",
      procedure: "notes.get",
      path: "output.title",
      reason: "r1",
    },
    {
      rule: "response-property-removed",
      procedure: "notes.list",
      contract: "workers v1",
      reason: "r2",
    },
    { rule: "procedure-removed", procedure: "notes.get", reason: "r3" },
  ]);
  deepEqual(result.kept.map((f) => f.path), ["output.body", "output.x"]);
  deepEqual(result.ignored.map((f) => [f.path, f.reason]), [["output.title", "r1"]]);
  deepEqual(result.unused.map((e) => e.reason), ["r2", "r3"]);
});
