/**
 * A topic's JSON Schema, compiled with Ajv 8 into a validator that fills in
 * the schema's defaults and reports problems as sentences a person can read.
 *
 * @module
 */
import { Ajv, type ErrorObject, type Options as AjvOptions, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Logger } from "@netscript/telemetry";

/** A JSON Schema document, as parsed from its `.json` file. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

/** One problem with a config value. */
export interface ConfigIssue {
  /** Where in the value: `concurrency`, `servers[0].url`, or `(value)` for the whole value. */
  path: string;
  /** The problem as a sentence that starts with the path, e.g. `concurrency must be >= 1`. */
  message: string;
}

/** The outcome of validating a config value: the value with defaults filled in, or the issues. */
export type ConfigValidation<T> =
  | { ok: true; value: T }
  | { ok: false; issues: ConfigIssue[] };

/** The path of the whole value in a {@linkcode ConfigIssue}. */
const ROOT_PATH = "(value)";

const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;
const DRAFT_2019 = /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/;

/** Options of {@linkcode compileJsonSchema}. */
export interface CompileJsonSchemaOptions {
  /** What the schema describes, for messages, e.g. `config topic "workers"`. */
  subject: string;
  /** Where Ajv's warnings about the schema go (e.g. strict-mode notes). */
  logger: Logger;
}

/**
 * Compiles a JSON Schema: a config topic's, a stream topic's. The draft follows `$schema` (2020-12, 2019-09,
 * else draft-07); Ajv's strict mode refuses unknown keywords and formats, so
 * a typo in the schema shows at once.
 *
 * @param schema The JSON Schema.
 * @param options What the schema describes and the logger for Ajv's warnings.
 * @returns A function that validates a copy of a value and fills in defaults.
 * @throws {TypeError} When the schema is not a valid JSON Schema.
 *
 * @example
 * ```ts
 * import { compileJsonSchema } from "@netscript/runtime-config";
 * import { createLogger } from "@netscript/telemetry";
 *
 * const validate = compileJsonSchema(
 *   { type: "object", required: ["id"], properties: { id: { type: "string" } } },
 *   { subject: 'stream topic "orders"', logger: createLogger({ service: "example" }) },
 * );
 * console.log(validate({})); // { ok: false, issues: [{ path: "id", message: "id is required" }] }
 * ```
 */
export function compileJsonSchema<T>(
  schema: JsonSchemaObject,
  { subject, logger }: CompileJsonSchemaOptions,
): (value: unknown) => ConfigValidation<T> {
  const note = (level: "debug" | "warn" | "error") => (...args: unknown[]) =>
    logger[level](`JSON Schema of ${subject}: ${args.join(" ")}`, { subject });
  const options: AjvOptions = {
    allErrors: true,
    useDefaults: true,
    logger: { log: note("debug"), warn: note("warn"), error: note("error") },
  };
  const draft = typeof schema.$schema === "string" ? schema.$schema : "";
  const ajv = DRAFT_2020.test(draft)
    ? new Ajv2020(options)
    : DRAFT_2019.test(draft)
    ? new Ajv2019(options)
    : new Ajv(options);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new TypeError(
      `Invalid JSON Schema for ${subject}: ${(error as Error).message}; fix the schema file`,
      { cause: error },
    );
  }
  return (value) => {
    const copy = _jsonCopy(value);
    if (!copy.ok) return { ok: false, issues: [{ path: ROOT_PATH, message: copy.message }] };
    if (validate(copy.value)) return { ok: true, value: copy.value as T };
    return { ok: false, issues: _issues(validate.errors ?? []) };
  };
}

/** The value as it would be stored (through JSON), so the caller's value is never changed. */
function _jsonCopy(value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    return { ok: false, message: `${ROOT_PATH} is not JSON: ${(error as Error).message}` };
  }
  if (text === undefined) return { ok: false, message: `${ROOT_PATH} must be a JSON value` };
  return { ok: true, value: JSON.parse(text) };
}

/** Ajv's errors as issues, one sentence each, without repeats. */
function _issues(errors: readonly ErrorObject[]): ConfigIssue[] {
  const issues = new Map<string, ConfigIssue>();
  for (const error of errors) {
    const issue = _issue(error);
    issues.set(issue.message, issue);
  }
  return [...issues.values()];
}

function _issue(error: ErrorObject): ConfigIssue {
  const segments = error.instancePath.split("/").slice(1).map(_unescapePointer);
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? `fails "${error.keyword}"`;
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    segments.push(params.missingProperty);
    message = "is required";
  } else if (
    error.keyword === "additionalProperties" && typeof params.additionalProperty === "string"
  ) {
    segments.push(params.additionalProperty);
    message = "is not allowed";
  } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  } else if (error.keyword === "const") {
    message = `must be ${JSON.stringify(params.allowedValue)}`;
  }
  const path = _path(segments);
  return { path, message: `${path} ${message}` };
}

function _unescapePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** `["servers", "0", "url"]` as `servers[0].url`; no segments as `(value)`. */
function _path(segments: readonly string[]): string {
  if (segments.length === 0) return ROOT_PATH;
  let path = "";
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path === "" ? segment : `.${segment}`;
  }
  return path;
}
