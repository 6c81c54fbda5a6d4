import { deepEqual, equal, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createLogger } from "@netscript/telemetry";
import { compileJsonSchema } from "./config_schema.ts";
import type { StoredConfig } from "./config_store.ts";
import { ValueInForce } from "./value_in_force.ts";

const warnings: string[] = [];
const logger = createLogger({
  service: "value-in-force-test",
  sink: (line, level) => level === "warn" && warnings.push(JSON.parse(line).msg),
});

function inForce(schema: Record<string, unknown>): ValueInForce<unknown> {
  warnings.length = 0;
  return new ValueInForce({
    topic: "workers",
    validate: compileJsonSchema(schema, { subject: 'config topic "workers"', logger }),
    logger,
  });
}

const LIMITS = {
  type: "object",
  properties: { concurrency: { type: "integer", minimum: 1, default: 2 } },
};
const REQUIRED_URL = { type: "object", required: ["url"], properties: { url: { type: "string" } } };

const stored = (value: unknown, revision: number): StoredConfig => ({
  topic: "workers",
  value,
  revision,
  updatedAt: new Date(0).toISOString(),
});

Deno.test("ValueInForce.next() falls back only for the first value a watch reads", () => {
  const values = inForce(LIMITS);
  deepEqual(values.next(stored({ concurrency: 0 }, 1), true), {
    value: { concurrency: 2 },
    revision: 0,
  });
  deepEqual(values.next(stored({ concurrency: 3 }, 2), false), {
    value: { concurrency: 3 },
    revision: 2,
  });
  equal(
    values.next(stored({ concurrency: -1 }, 3), false),
    undefined,
    "a later invalid value is skipped",
  );
  equal(values.next(undefined, false), undefined);
  deepEqual(values.current(stored({ concurrency: -1 }, 3)), {
    value: { concurrency: 3 },
    revision: 2,
  });
  deepEqual(warnings, [
    'Config topic "workers" has an invalid value at revision 1; keeping the schema\'s defaults',
    'Config topic "workers" has an invalid value at revision 3; keeping revision 2',
  ]);
});

Deno.test("ValueInForce hands out copies, so a caller cannot change the value in force", () => {
  const values = inForce(LIMITS);
  const first = values.current(stored({ concurrency: 4 }, 1)) as { value: { concurrency: number } };
  first.value.concurrency = 99;
  deepEqual(values.current(stored({ concurrency: 0 }, 2)), {
    value: { concurrency: 4 },
    revision: 1,
  });
});

Deno.test("ValueInForce without a valid default: CONFIG_NOT_SET, CONFIG_VALUE_INVALID, or nothing to deliver", () => {
  const values = inForce(REQUIRED_URL);
  throws(
    () => values.current(undefined),
    (error: unknown) => isNetScriptError(error, "CONFIG_NOT_SET"),
  );
  throws(
    () => values.current(stored({ url: 1 }, 1)),
    (error: unknown) => isNetScriptError(error, "CONFIG_VALUE_INVALID"),
  );
  equal(values.next(undefined, true), undefined);
  equal(values.next(stored({ url: 1 }, 1), true), undefined);
  deepEqual(values.next(stored({ url: "http://a" }, 2), true), {
    value: { url: "http://a" },
    revision: 2,
  });
});
