/**
 * One way to write schema validation issues for people: `services[0].port
 * must be … (got 81950)`. Every NetScript error that lists zod issues in its
 * message goes through {@linkcode formatIssues}.
 *
 * @module
 */

/**
 * One segment of an issue's path: a key, an index, or a Standard Schema
 * path segment (`{ key }`).
 */
export type SchemaIssuePathSegment = PropertyKey | { readonly key: PropertyKey };

/**
 * The parts of a validation issue {@linkcode formatIssues} reads. A zod
 * issue (`z.core.$ZodIssue`) is one, and so is a Standard Schema issue.
 */
export interface SchemaIssue {
  /** Where in the value the problem is; empty or absent for the value itself. */
  readonly path?: readonly SchemaIssuePathSegment[] | undefined;
  /** What is wrong, in the validator's words. */
  readonly message: string;
  /** The validator's kind of issue, such as zod's `invalid_type` or `unrecognized_keys`. */
  readonly code?: string | undefined;
  /**
   * The offending value. zod reports it when parsing with
   * `{ reportInput: true }`; a present `undefined` means the field is missing.
   */
  readonly input?: unknown;
  /** The unknown keys, for zod's `unrecognized_keys`. */
  readonly keys?: readonly string[] | undefined;
}

/** One issue as {@linkcode formatIssues} writes it. */
export interface FormattedIssue {
  /** The field, e.g. `services[0].port`, or the root label (`(value)`). */
  readonly path: string;
  /** What is wrong with it, quoting the offending value where known. */
  readonly message: string;
}

/** Options of {@linkcode formatIssues}. */
export interface FormatIssuesOptions {
  /**
   * What to call the value itself, for issues with an empty path, such as
   * `(manifest)` or `(input)`.
   * @default {"(value)"}
   */
  root?: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
const MAX_SHOWN = 60;

/**
 * Writes validation issues for people: each with the path of its field
 * (`services[0].port`, `env["MY VAR"]`, `(value)` for the value itself) and
 * a message that quotes the offending value where the validator gives it
 * (zod does when parsing with `{ reportInput: true }`). Unknown keys read
 * `has unknown field(s) "a", "b"; remove them`; a missing field reads
 * `is required`.
 *
 * @param issues The issues, such as `result.error.issues` of a zod `safeParse`.
 * @param options What to call the value itself.
 * @returns One `{ path, message }` per issue, in order.
 *
 * @example
 * ```ts
 * import { formatIssues } from "@netscript/contracts/errors";
 * import { z } from "zod";
 *
 * const Config = z.object({ services: z.array(z.object({ port: z.number().max(65535) })) });
 * const result = Config.safeParse({ services: [{ port: 81950 }] }, { reportInput: true });
 * if (!result.success) {
 *   const issues = formatIssues(result.error.issues);
 *   console.log(issues.map((issue) => `${issue.path} ${issue.message}`).join("; "));
 *   // services[0].port Too big: expected number to be <=65535 (got 81950)
 * }
 * ```
 */
export function formatIssues(
  issues: readonly SchemaIssue[],
  options: FormatIssuesOptions = {},
): FormattedIssue[] {
  const root = options.root ?? "(value)";
  return issues.map((issue) => ({
    path: _path(issue.path ?? [], root),
    message: _message(issue),
  }));
}

function _path(path: readonly SchemaIssuePathSegment[], root: string): string {
  let out = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER.test(key)) {
      out += `${out === "" ? "" : "."}${key}`;
    } else out += `[${typeof key === "string" ? JSON.stringify(key) : String(key)}]`;
  }
  return out === "" ? root : out;
}

function _message(issue: SchemaIssue): string {
  if (issue.code === "unrecognized_keys" && issue.keys !== undefined) {
    return `has unknown field(s) ${
      issue.keys.map((key) => JSON.stringify(key)).join(", ")
    }; remove them`;
  }
  const reported = Object.hasOwn(issue, "input");
  if (issue.code === "invalid_type" && reported && issue.input === undefined) return "is required";
  return reported ? `${issue.message}${_got(issue.input)}` : issue.message;
}

function _got(input: unknown): string {
  if (input === undefined || typeof input === "function" || typeof input === "symbol") return "";
  if (typeof input === "object" && input !== null) return "";
  const shown = typeof input === "string" ? JSON.stringify(input) : String(input);
  return ` (got ${shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 1)}…` : shown})`;
}
