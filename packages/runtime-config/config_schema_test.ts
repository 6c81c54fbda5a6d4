import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { compileJsonSchema } from "./config_schema.ts";
import type { JsonSchemaObject } from "./config_schema.ts";

const lines: { level: LogLevel; msg: string }[] = [];
const logger = createLogger({
  service: "config-schema-test",
  level: "debug",
  sink: (line, level) => lines.push({ level, msg: JSON.parse(line).msg }),
});

const compile = (topic: string, schema: JsonSchemaObject) =>
  compileJsonSchema(schema, { subject: `config topic "${topic}"`, logger });

const WORKERS_SCHEMA = {
  type: "object",
  properties: {
    concurrency: { type: "integer", minimum: 1, default: 2 },
    mode: { enum: ["fast", "safe"], default: "safe" },
    region: { const: "eu" },
    servers: {
      type: "array",
      items: {
        type: "object",
        required: ["url"],
        properties: { url: { type: "string" }, weight: { type: "number", default: 1 } },
      },
    },
  },
  additionalProperties: false,
} as const;

Deno.test("compileJsonSchema() fills defaults into a copy, never into the value given", () => {
  const validate = compile("workers", WORKERS_SCHEMA);
  const value = { servers: [{ url: "http://a" }] };
  deepEqual(validate(value), {
    ok: true,
    value: { concurrency: 2, mode: "safe", servers: [{ url: "http://a", weight: 1 }] },
  });
  deepEqual(value, { servers: [{ url: "http://a" }] }, "the value given is unchanged");
});

Deno.test("compileJsonSchema() reports every issue as a sentence with its path", () => {
  const validate = compile("workers", WORKERS_SCHEMA);
  const result = validate({ concurrency: 0, mode: "slow", region: "us", servers: [{}], extra: 1 });
  equal(result.ok, false);
  deepEqual(
    !result.ok && result.issues.map((issue) => issue.message).sort(),
    [
      "concurrency must be >= 1",
      "extra is not allowed",
      'mode must be one of "fast", "safe"',
      'region must be "eu"',
      "servers[0].url is required",
    ],
  );
  deepEqual(
    !result.ok && result.issues.map((issue) => issue.path).sort(),
    ["concurrency", "extra", "mode", "region", "servers[0].url"],
  );
});

Deno.test("compileJsonSchema() names the whole value (value)", () => {
  const validate = compile("workers", WORKERS_SCHEMA);
  deepEqual(validate(42), {
    ok: false,
    issues: [{ path: "(value)", message: "(value) must be object" }],
  });
  deepEqual(validate(undefined), {
    ok: false,
    issues: [{ path: "(value)", message: "(value) must be a JSON value" }],
  });
  const result = validate({ concurrency: 1n });
  ok(!result.ok && result.issues[0]!.message.startsWith("(value) is not JSON"));
});

Deno.test("compileJsonSchema() follows $schema: 2020-12 keywords work under 2020-12 only", () => {
  const tuple = {
    type: "array",
    prefixItems: [{ type: "string" }, { type: "integer" }],
    items: false,
  };
  const validate = compile("pair", {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    ...tuple,
  });
  equal(validate(["a", 1]).ok, true);
  deepEqual(validate(["a", "b"]), {
    ok: false,
    issues: [{ path: "[1]", message: "[1] must be integer" }],
  });
  throws(() => compile("pair", tuple), TypeError, "draft-07 does not know prefixItems");
});

Deno.test("compileJsonSchema() refuses an invalid schema with a TypeError that names the topic", () => {
  throws(
    () => compile("workers", { type: "object", minimun: 3 }),
    (error: Error) => error instanceof TypeError && error.message.includes('"workers"'),
  );
  throws(() => compile("workers", { type: "nonsense" }), TypeError);
});

Deno.test("compileJsonSchema() sends Ajv's notes about the schema to the logger", () => {
  lines.length = 0;
  compile("pair", {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "array",
    prefixItems: [{ type: "string" }],
  });
  deepEqual(lines.map((line) => line.level), ["warn"]);
  ok(lines[0]!.msg.startsWith('JSON Schema of config topic "pair": strict mode'), lines[0]!.msg);
});

Deno.test("compileJsonSchema() never throws or changes its input, and its output validates again", () => {
  const validate = compile("workers", WORKERS_SCHEMA);
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const before = JSON.stringify(value);
      const result = validate(value);
      equal(JSON.stringify(value), before);
      if (result.ok) deepEqual(validate(result.value), result);
      else ok(result.issues.length > 0 && result.issues.every((issue) => issue.message !== ""));
    }),
  );
});
