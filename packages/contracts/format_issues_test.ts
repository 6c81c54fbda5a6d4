import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { z } from "zod";
import { formatIssues } from "./errors.ts";

const Manifest = z.object({
  name: z.string(),
  services: z.array(z.object({ port: z.number().int().max(65_535) })),
  env: z.record(z.string(), z.string()).optional(),
  mode: z.enum(["dev", "prod"]).optional(),
}).strict();

function issuesOf(value: unknown, reportInput = true) {
  const result = Manifest.safeParse(value, { reportInput });
  if (result.success) throw new Error("expected a failure");
  return formatIssues(result.error.issues);
}

Deno.test("formatIssues() writes paths with dots and indexes, and (value) for the root", () => {
  deepEqual(issuesOf({ name: "a", services: [{ port: 1 }, { port: 81_950 }] }), [
    { path: "services[1].port", message: "Too big: expected number to be <=65535 (got 81950)" },
  ]);
  deepEqual(issuesOf("nope"), [
    { path: "(value)", message: 'Invalid input: expected object, received string (got "nope")' },
  ]);
});

Deno.test("formatIssues() names the root as told", () => {
  const result = z.string().safeParse(1);
  ok(!result.success);
  equal(formatIssues(result.error.issues, { root: "(input)" })[0]!.path, "(input)");
});

Deno.test("formatIssues() says which fields are unknown and which are missing", () => {
  deepEqual(issuesOf({ services: [], extra: 1, other: 2 }), [
    { path: "name", message: "is required" },
    { path: "(value)", message: 'has unknown field(s) "extra", "other"; remove them' },
  ]);
});

Deno.test("formatIssues() quotes the offending value only where zod gives it", () => {
  deepEqual(issuesOf({ name: "a", services: [], mode: "test" }), [
    { path: "mode", message: 'Invalid option: expected one of "dev"|"prod" (got "test")' },
  ]);
  deepEqual(issuesOf({ name: "a", services: [], mode: "test" }, false), [
    { path: "mode", message: 'Invalid option: expected one of "dev"|"prod"' },
  ]);
  const long = "x".repeat(200);
  const [issue] = issuesOf({ name: "a", services: [], mode: long });
  ok(issue!.message.endsWith(`(got "${"x".repeat(58)}…)`), issue!.message);
  deepEqual(
    issuesOf({ name: "a", services: [{ port: Number.NaN }] })[0]!.message.endsWith("(got NaN)"),
    true,
  );
});

Deno.test("formatIssues() brackets keys that are not identifiers", () => {
  deepEqual(issuesOf({ name: "a", services: [], env: { "MY VAR": 1 } }), [
    { path: 'env["MY VAR"]', message: "Invalid input: expected string, received number (got 1)" },
  ]);
});

Deno.test("formatIssues() reads Standard Schema path segments", () => {
  deepEqual(
    formatIssues([{ path: [{ key: "items" }, { key: 2 }, "id"], message: "Required" }]),
    [{ path: "items[2].id", message: "Required" }],
  );
});

Deno.test("formatIssues() writes every path so that each segment shows, in order", () => {
  const segment = fc.oneof(fc.nat({ max: 99 }), fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/));
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (path) => {
      const [formatted] = formatIssues([{ path, message: "m" }]);
      const expected = path.map((p, i) =>
        typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${p}`
      )
        .join("");
      equal(formatted!.path, expected);
    }),
  );
});
