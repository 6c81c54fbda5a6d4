/**
 * The JSON Schema of a contract's zod schemas, as every NetScript tool sees
 * it: the service's OpenAPI document and query coercion, and
 * `netscript contract check`. oRPC's zod converter, with what zod enforces
 * beyond its plain conversion added.
 *
 * @module
 */
import { ZodToJsonSchemaConverter, type ZodToJsonSchemaConverterOptions } from "@orpc/zod/zod4";

/** What oRPC's zod converter hands an interceptor: one schema node and its conversion. */
type _ConvertStep = Parameters<
  NonNullable<ZodToJsonSchemaConverterOptions["interceptors"]>[number]
>[0];

/**
 * Makes the converted schema say what zod enforces where oRPC's converter
 * says less: a request object lists its `z.unknown()` and `z.any()`
 * properties in `required` (zod refuses the object without them, though
 * `undefined` would pass the value itself; wrapped in `.optional()` they
 * are not listed); a `z.iso.datetime()` carries zod's own pattern (without
 * `{ offset: true }` it refuses `+01:00`, which `format: date-time` allows).
 */
function _zodTruth({ schema, options, next }: _ConvertStep): ReturnType<_ConvertStep["next"]> {
  const [required, json] = next();
  const def = schema._zod.def as {
    type: string;
    format?: string;
    shape?: Record<string, { _zod: { def: { type: string } } }>;
  };
  if (def.type === "object" && options.strategy === "input" && def.shape !== undefined) {
    const properties = (json.properties ?? {}) as Record<string, unknown>;
    const listed = new Set(json.required ?? []);
    const missing = Object.entries(def.shape).filter(([key, member]) =>
      (member._zod.def.type === "unknown" || member._zod.def.type === "any") &&
      key in properties && !listed.has(key)
    ).map(([key]) => key);
    if (missing.length > 0) return [required, { ...json, required: [...listed, ...missing] }];
  }
  const pattern = (schema._zod as { pattern?: unknown }).pattern;
  if (
    def.type === "string" && def.format === "datetime" && pattern instanceof RegExp &&
    json.pattern === undefined
  ) {
    return [required, { ...json, pattern: pattern.source }];
  }
  return [required, json];
}

/**
 * The converter of a contract's zod schemas to JSON Schema: oRPC's
 * `ZodToJsonSchemaConverter`, where a request object lists its
 * `z.unknown()`/`z.any()` properties as required and a `z.iso.datetime()`
 * carries zod's own pattern.
 *
 * @example
 * ```ts
 * import { contractSchemaConverter } from "@netscript/contracts/json-schema";
 * import { z } from "zod";
 *
 * const [, json] = contractSchemaConverter.convert(z.object({ payload: z.unknown() }), {
 *   strategy: "input",
 * });
 * console.log(json.required); // ["payload"]
 * ```
 */
export const contractSchemaConverter: ZodToJsonSchemaConverter = new ZodToJsonSchemaConverter({
  interceptors: [_zodTruth],
});
