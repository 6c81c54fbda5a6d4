import type { JsonSchema } from "./snapshot.ts";
import type { RuleId } from "./rules.ts";

/** Which way values flow: `request` values are sent by callers, `response` values received. */
export type _Side = "request" | "response";

/** Reports one change; the caller adds the procedure and severity. */
export type _Report = (rule: RuleId, path: string, message: string) => void;

type _Object = { readonly [keyword: string]: unknown };

/** A schema reduced to what the rules compare. */
interface _Shape {
  /** Accepts any value of any type. */
  any: boolean;
  /** The JSON types it accepts, `null` apart. */
  types: Set<string>;
  nullable: boolean;
  /** The allowed values, when it lists them (enum or const), `null` apart. */
  values: unknown[] | undefined;
  /** The variants of a union of more than one non-null schema. */
  variants: _Object[] | undefined;
  /** The keywords of its single non-null schema. */
  node: _Object;
}

const ANNOTATIONS = new Set([
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "$schema",
]);

/**
 * Compares two JSON Schemas of the same value and reports every change a
 * rule names: for `request`, changes that accept fewer values (and the
 * harmless ones the catalog lists as info); for `response`, changes that
 * may deliver more.
 */
export function _compareSchemas(
  before: JsonSchema,
  after: JsonSchema,
  side: _Side,
  path: string,
  report: _Report,
): void {
  const old = _shape(before);
  const now = _shape(after);
  const typed = !old.any && !now.any;
  if (typed && side === "request" && old.nullable && !now.nullable) {
    report("request-became-not-nullable", path, `${path} no longer accepts null`);
  }
  if (typed && side === "response" && !old.nullable && now.nullable) {
    report("response-became-nullable", path, `${path} may now be null`);
  }
  if (old.variants !== undefined || now.variants !== undefined) {
    _compareVariants(old, now, side, path, report);
    return;
  }
  if (!_compareTypes(old, now, side, path, report)) return;
  _compareValues(old, now, side, path, report);
  _compareBounds(old.node, now.node, side, path, report);
  _comparePatterns(old.node, now.node, side, path, report);
  _compareProperties(old.node, now.node, side, path, report);
  const oldItems = old.node.items;
  const newItems = now.node.items;
  if (_isSchema(oldItems) && _isSchema(newItems)) {
    _compareSchemas(oldItems, newItems, side, `${path}[]`, report);
  }
  const oldExtra = old.node.additionalProperties;
  const newExtra = now.node.additionalProperties;
  if (_isObject(oldExtra) && _isObject(newExtra)) {
    _compareSchemas(oldExtra, newExtra, side, `${path}.*`, report);
  }
}

function _shape(schema: JsonSchema): _Shape {
  if (schema === true || schema === false) {
    return {
      any: schema,
      types: new Set(),
      nullable: false,
      values: undefined,
      variants: undefined,
      node: {},
    };
  }
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) {
    const rest = Object.fromEntries(
      Object.entries(schema).filter(([key]) => key !== "anyOf" && key !== "oneOf"),
    );
    const branches = union.map((branch) =>
      typeof branch === "boolean" ? branch : { ...rest, ...branch }
    );
    const nullable = branches.some((branch) => _isNull(branch));
    const others = branches.filter((branch) => !_isNull(branch));
    if (others.length === 1) {
      const single = _shape(others[0]!);
      return { ...single, nullable: single.nullable || nullable };
    }
    const any = others.some((branch) => _shape(branch).any);
    return {
      any,
      types: new Set(),
      nullable,
      values: undefined,
      variants: any ? undefined : others.map((branch) => _isObject(branch) ? branch : {}),
      node: {},
    };
  }
  const declared = schema.type === undefined
    ? undefined
    : (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
  const listed = Array.isArray(schema.enum)
    ? schema.enum as unknown[]
    : "const" in schema
    ? [schema.const]
    : undefined;
  const values = listed?.filter((value) => value !== null);
  const types = new Set(
    declared?.filter((type) => type !== "null") ?? values?.map(_typeOf) ?? [],
  );
  const nullable = (declared?.includes("null") ?? false) || (listed?.includes(null) ?? false);
  const constrained = Object.keys(schema).some((key) => !ANNOTATIONS.has(key));
  return {
    any: !constrained,
    types,
    nullable,
    values,
    variants: undefined,
    node: schema,
  };
}

function _compareVariants(old: _Shape, now: _Shape, side: _Side, path: string, report: _Report) {
  if (old.any || now.any) {
    _compareTypes(old, now, side, path, report);
    return;
  }
  const oldVariants = old.variants ?? [old.node];
  const newVariants = now.variants ?? [now.node];
  const [from, to] = side === "request" ? [oldVariants, newVariants] : [newVariants, oldVariants];
  const kept = new Set(to.map(_canonical));
  for (const variant of from) {
    if (kept.has(_canonical(variant))) continue;
    if (side === "request") {
      report(
        "request-union-variant-removed",
        path,
        `${path} no longer accepts the variant ${_canonical(variant)}`,
      );
    } else {
      report("response-union-variant-added", path, `${path} may now be ${_canonical(variant)}`);
    }
  }
}

/** Reports a type change; returns whether the schemas have a type in common to compare further. */
function _compareTypes(
  old: _Shape,
  now: _Shape,
  side: _Side,
  path: string,
  report: _Report,
): boolean {
  if (old.any && now.any) return false;
  const [wide, narrow] = side === "request" ? [now, old] : [old, now];
  if (wide.any) return false;
  const lost = narrow.any
    ? ["any type"]
    : [...narrow.types].filter((type) => !_covers(wide.types, type));
  if (lost.length > 0) {
    const rule = side === "request" ? "request-type-changed" : "response-type-changed";
    const verb = side === "request" ? "no longer accepts" : "may now be";
    report(rule, path, `${path} ${verb} ${lost.join(", ")} (${_types(old)} → ${_types(now)})`);
    return false;
  }
  return true;
}

function _compareValues(old: _Shape, now: _Shape, side: _Side, path: string, report: _Report) {
  const before = old.values;
  const after = now.values;
  if (side === "request") {
    if (before === undefined && after !== undefined) {
      report("request-became-enum", path, `${path} accepts only ${_list(after)} now`);
      return;
    }
    if (before === undefined || after === undefined) return;
    for (const value of _missing(before, after)) {
      report(
        "request-enum-value-removed",
        path,
        `${path} no longer accepts ${JSON.stringify(value)}`,
      );
    }
    for (const value of _missing(after, before)) {
      report("request-enum-value-added", path, `${path} also accepts ${JSON.stringify(value)}`);
    }
    return;
  }
  if (before === undefined) return;
  if (after === undefined) {
    report(
      "response-enum-removed",
      path,
      `${path} was one of ${_list(before)} and may now be any ${_types(now)}`,
    );
    return;
  }
  for (const value of _missing(after, before)) {
    report("response-enum-value-added", path, `${path} may now be ${JSON.stringify(value)}`);
  }
  for (const value of _missing(before, after)) {
    report("response-enum-value-removed", path, `${path} is never ${JSON.stringify(value)} now`);
  }
}

/** A bound keyword: its name in messages, and the rules for each side. */
interface _Bound {
  keyword: "maxLength" | "minLength" | "maxItems" | "minItems" | "maximum" | "minimum";
  upper: boolean;
  request: RuleId;
  response: RuleId;
}

const BOUNDS: readonly _Bound[] = [
  {
    keyword: "maxLength",
    upper: true,
    request: "request-max-length-decreased",
    response: "response-max-length-increased",
  },
  {
    keyword: "minLength",
    upper: false,
    request: "request-min-length-increased",
    response: "response-min-length-decreased",
  },
  {
    keyword: "maxItems",
    upper: true,
    request: "request-max-items-decreased",
    response: "response-max-items-increased",
  },
  {
    keyword: "minItems",
    upper: false,
    request: "request-min-items-increased",
    response: "response-min-items-decreased",
  },
  {
    keyword: "maximum",
    upper: true,
    request: "request-maximum-decreased",
    response: "response-maximum-increased",
  },
  {
    keyword: "minimum",
    upper: false,
    request: "request-minimum-increased",
    response: "response-minimum-decreased",
  },
];

/** A bound as (value, exclusive); exclusiveMaximum/exclusiveMinimum fold into maximum/minimum. */
function _bound(node: _Object, bound: _Bound): { value: number; exclusive: boolean } | undefined {
  const exclusiveKey = bound.keyword === "maximum"
    ? "exclusiveMaximum"
    : bound.keyword === "minimum"
    ? "exclusiveMinimum"
    : undefined;
  const inclusive = typeof node[bound.keyword] === "number"
    ? node[bound.keyword] as number
    : undefined;
  const exclusive = exclusiveKey !== undefined && typeof node[exclusiveKey] === "number"
    ? node[exclusiveKey] as number
    : undefined;
  if (exclusive === undefined) {
    return inclusive === undefined ? undefined : { value: inclusive, exclusive: false };
  }
  if (inclusive === undefined) return { value: exclusive, exclusive: true };
  const exclusiveIsTighter = bound.upper ? exclusive <= inclusive : exclusive >= inclusive;
  return exclusiveIsTighter
    ? { value: exclusive, exclusive: true }
    : { value: inclusive, exclusive: false };
}

/** Whether bound `a` admits fewer values than bound `b` (no bound admits every value). */
function _tighter(
  a: { value: number; exclusive: boolean } | undefined,
  b: { value: number; exclusive: boolean } | undefined,
  upper: boolean,
): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  if (a.value !== b.value) return upper ? a.value < b.value : a.value > b.value;
  return a.exclusive && !b.exclusive;
}

function _compareBounds(old: _Object, now: _Object, side: _Side, path: string, report: _Report) {
  for (const bound of BOUNDS) {
    const before = _bound(old, bound);
    const after = _bound(now, bound);
    const fires = side === "request"
      ? _tighter(after, before, bound.upper)
      : _tighter(before, after, bound.upper);
    if (!fires) continue;
    report(
      bound[side],
      path,
      `${path} ${bound.keyword} ${_describeBound(before)} → ${_describeBound(after)}`,
    );
  }
}

function _describeBound(bound: { value: number; exclusive: boolean } | undefined): string {
  if (bound === undefined) return "none";
  return bound.exclusive ? `${bound.value} (exclusive)` : String(bound.value);
}

function _comparePatterns(old: _Object, now: _Object, side: _Side, path: string, report: _Report) {
  const before = typeof old.pattern === "string" ? old.pattern : undefined;
  const after = typeof now.pattern === "string" ? now.pattern : undefined;
  if (before !== after) {
    if (side === "request" && after !== undefined) {
      report(
        before === undefined ? "request-pattern-added" : "request-pattern-changed",
        path,
        `${path} must match /${after}/${before === undefined ? "" : ` (was /${before}/)`}`,
      );
    }
    if (side === "response" && before !== undefined) {
      report(
        after === undefined ? "response-pattern-removed" : "response-pattern-changed",
        path,
        `${path} no longer always matches /${before}/${
          after === undefined ? "" : ` (now /${after}/)`
        }`,
      );
    }
  }
  const oldFormat = typeof old.format === "string" ? old.format : undefined;
  const newFormat = typeof now.format === "string" ? now.format : undefined;
  if (oldFormat === newFormat) return;
  if (side === "request" && newFormat !== undefined) {
    report(
      "request-format-changed",
      path,
      `${path} must be a ${newFormat} (was ${oldFormat ?? "any string"})`,
    );
  }
  if (side === "response" && oldFormat !== undefined) {
    report(
      "response-format-changed",
      path,
      `${path} is no longer always a ${oldFormat} (now ${newFormat ?? "any string"})`,
    );
  }
}

function _compareProperties(
  old: _Object,
  now: _Object,
  side: _Side,
  path: string,
  report: _Report,
) {
  const before = _isObject(old.properties)
    ? old.properties as Record<string, JsonSchema>
    : undefined;
  const after = _isObject(now.properties)
    ? now.properties as Record<string, JsonSchema>
    : undefined;
  if (before === undefined && after === undefined) return;
  const oldRequired = new Set(Array.isArray(old.required) ? old.required as string[] : []);
  const newRequired = new Set(Array.isArray(now.required) ? now.required as string[] : []);
  for (const [name, schema] of Object.entries(before ?? {})) {
    const at = `${path}.${name}`;
    const next = after?.[name];
    if (next === undefined) {
      if (side === "request") {
        report(
          "request-property-removed",
          at,
          `${at} is no longer declared; a value sent there is ignored or refused`,
        );
      } else if (oldRequired.has(name)) {
        report("response-property-removed", at, `${at} was always there and is gone`);
      } else {
        report("response-optional-property-removed", at, `${at} (optional) is gone`);
      }
      continue;
    }
    if (side === "request" && !oldRequired.has(name) && newRequired.has(name)) {
      report("request-property-became-required", at, `${at} is now required`);
    }
    if (side === "response" && oldRequired.has(name) && !newRequired.has(name)) {
      report("response-property-became-optional", at, `${at} may now be absent`);
    }
    _compareSchemas(schema, next, side, at, report);
  }
  for (const name of Object.keys(after ?? {})) {
    if (before !== undefined && Object.hasOwn(before, name)) continue;
    const at = `${path}.${name}`;
    if (side === "response") report("response-property-added", at, `${at} is new`);
    else if (newRequired.has(name)) {
      report("request-required-property-added", at, `${at} is new and required`);
    } else report("request-property-added", at, `${at} is new and optional`);
  }
}

function _covers(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === "integer" && types.has("number"));
}

function _typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function _types(shape: _Shape): string {
  if (shape.any) return "any";
  const types = [...shape.types];
  if (shape.nullable) types.push("null");
  return types.length === 0 ? "nothing" : types.join(" | ");
}

function _missing(values: readonly unknown[], from: readonly unknown[]): unknown[] {
  const present = new Set(from.map((value) => JSON.stringify(value)));
  return values.filter((value) => !present.has(JSON.stringify(value)));
}

function _list(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

function _isNull(schema: JsonSchema): boolean {
  if (typeof schema === "boolean") return false;
  return schema.type === "null" ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null) ||
    ("const" in schema && schema.const === null);
}

function _isObject(value: unknown): value is _Object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function _isSchema(value: unknown): value is JsonSchema {
  return typeof value === "boolean" || _isObject(value);
}

/** A variant as JSON with sorted keys, so equal schemas compare equal. */
function _canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    _isObject(inner)
      ? Object.fromEntries(
        Object.entries(inner).filter(([key]) => !ANNOTATIONS.has(key)).sort(([a], [b]) =>
          a < b ? -1 : a > b ? 1 : 0
        ),
      )
      : inner);
}
