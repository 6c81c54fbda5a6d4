import { deepEqual, equal } from "node:assert/strict";
import { z } from "zod";
import { exportNames } from "../../tests/support/exports.ts";
import { contractSchemaConverter } from "./json_schema.ts";

Deno.test("@netscript/contracts/json-schema exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./json_schema.ts", import.meta.url)), [
    "contractSchemaConverter",
  ]);
});

Deno.test("a request object's unknown and any properties are required, unless optional", () => {
  const [, json] = contractSchemaConverter.convert(
    z.object({ payload: z.unknown(), extra: z.any(), note: z.unknown().optional() }),
    { strategy: "input" },
  );
  deepEqual((json.required as string[]).toSorted(), ["extra", "payload"]);
  const [, output] = contractSchemaConverter.convert(z.object({ payload: z.unknown() }), {
    strategy: "output",
  });
  equal(output.required, undefined, "an undefined output value leaves the JSON without the key");
});

Deno.test("a datetime carries zod's pattern, which refuses what zod refuses", () => {
  const [, json] = contractSchemaConverter.convert(z.iso.datetime(), { strategy: "input" });
  const pattern = new RegExp(json.pattern as string);
  equal(pattern.test("2030-01-01T10:00:00Z"), true);
  equal(pattern.test("2030-01-01T10:00:00+01:00"), false);
});
