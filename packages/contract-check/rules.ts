/** How much a change matters to a caller that followed the old contract. */
export type Severity = "breaking" | "warning" | "info";

/** One rule of the catalog: its severity and what fires it. */
export interface Rule {
  /** How much a change it reports matters. */
  readonly severity: Severity;
  /** What fires it, in one line. */
  readonly summary: string;
}

/**
 * Every rule {@linkcode compareSnapshots} and {@linkcode compareContractSets}
 * report, by stable id. `request` rules judge what callers send (a change
 * breaks when fewer values are accepted); `response` rules judge what callers
 * receive, outputs and error `data` alike (a change breaks when more values
 * may arrive).
 *
 * @example
 * ```ts
 * import { RULES } from "@netscript/contract-check";
 *
 * console.log(RULES["procedure-removed"].severity); // "breaking"
 * ```
 */
export const RULES = {
  "contract-removed": {
    severity: "breaking",
    summary: "A contract (a plugin's version, an app contract) the base had is gone",
  },
  "contract-added": { severity: "info", summary: "A contract the base did not have" },
  "procedure-removed": { severity: "breaking", summary: "A procedure is gone" },
  "procedure-added": { severity: "info", summary: "A new procedure" },
  "route-method-changed": { severity: "breaking", summary: "A procedure's HTTP method changed" },
  "route-path-changed": { severity: "breaking", summary: "A procedure's REST path changed" },
  "route-success-status-changed": {
    severity: "breaking",
    summary: "A procedure's REST success status changed",
  },
  "request-became-required": {
    severity: "breaking",
    summary: "A procedure's input was optional and is now required",
  },
  "response-became-optional": {
    severity: "breaking",
    summary: "An output or error data that was always there may now be absent",
  },
  "request-became-not-nullable": {
    severity: "breaking",
    summary: "A value no longer accepts null",
  },
  "response-became-nullable": { severity: "breaking", summary: "A value received may now be null" },
  "request-type-changed": {
    severity: "breaking",
    summary: "A value no longer accepts a type it accepted (string to number, number to integer)",
  },
  "response-type-changed": {
    severity: "breaking",
    summary: "A value received may have a type it never had (integer to number, to any)",
  },
  "request-union-variant-removed": {
    severity: "breaking",
    summary: "A union no longer accepts one of its variants",
  },
  "response-union-variant-added": {
    severity: "breaking",
    summary: "A union received has a variant it did not have",
  },
  "request-became-enum": {
    severity: "breaking",
    summary: "A value that accepted anything of its type accepts only listed values",
  },
  "request-enum-value-removed": { severity: "breaking", summary: "An accepted enum value is gone" },
  "request-enum-value-added": { severity: "info", summary: "An enum sent gained a value" },
  "response-enum-value-added": {
    severity: "breaking",
    summary: "An enum received gained a value callers do not know",
  },
  "response-enum-value-removed": {
    severity: "info",
    summary: "An enum received lost a value",
  },
  "response-enum-removed": {
    severity: "breaking",
    summary: "A value received was one of listed values and may now be anything of its type",
  },
  "request-max-length-decreased": {
    severity: "breaking",
    summary: "A string sent has a lower (or a new) maxLength",
  },
  "request-min-length-increased": {
    severity: "breaking",
    summary: "A string sent has a higher (or a new) minLength",
  },
  "request-maximum-decreased": {
    severity: "breaking",
    summary: "A number sent has a lower (or a new, or an exclusive) maximum",
  },
  "request-minimum-increased": {
    severity: "breaking",
    summary: "A number sent has a higher (or a new, or an exclusive) minimum",
  },
  "request-max-items-decreased": {
    severity: "breaking",
    summary: "An array sent has a lower (or a new) maxItems",
  },
  "request-min-items-increased": {
    severity: "breaking",
    summary: "An array sent has a higher (or a new) minItems",
  },
  "response-max-length-increased": {
    severity: "breaking",
    summary: "A string received has a higher (or no more) maxLength",
  },
  "response-min-length-decreased": {
    severity: "breaking",
    summary: "A string received has a lower (or no more) minLength",
  },
  "response-maximum-increased": {
    severity: "breaking",
    summary: "A number received has a higher (or no more) maximum",
  },
  "response-minimum-decreased": {
    severity: "breaking",
    summary: "A number received has a lower (or no more) minimum",
  },
  "response-max-items-increased": {
    severity: "breaking",
    summary: "An array received has a higher (or no more) maxItems",
  },
  "response-min-items-decreased": {
    severity: "breaking",
    summary: "An array received has a lower (or no more) minItems",
  },
  "request-pattern-added": {
    severity: "breaking",
    summary: "A string sent must now match a pattern",
  },
  "request-pattern-changed": {
    severity: "warning",
    summary: "A string sent must match another pattern (may accept fewer values)",
  },
  "response-pattern-removed": {
    severity: "breaking",
    summary: "A string received no longer matches a pattern",
  },
  "response-pattern-changed": {
    severity: "warning",
    summary: "A string received matches another pattern (may hold values it did not)",
  },
  "request-format-changed": {
    severity: "breaking",
    summary: "A string sent gained a format (email, date-time, …) or changed it",
  },
  "response-format-changed": {
    severity: "breaking",
    summary: "A string received lost its format or changed it",
  },
  "request-required-property-added": {
    severity: "breaking",
    summary: "An object sent has a new required property",
  },
  "request-property-became-required": {
    severity: "breaking",
    summary: "An optional property sent is now required",
  },
  "request-property-added": {
    severity: "info",
    summary: "An object sent has a new optional property",
  },
  "request-property-removed": {
    severity: "warning",
    summary:
      "A property callers send is no longer declared (ignored, or refused by a strict object)",
  },
  "response-property-removed": {
    severity: "breaking",
    summary: "A required property received is gone",
  },
  "response-optional-property-removed": {
    severity: "warning",
    summary: "An optional property received is gone",
  },
  "response-property-became-optional": {
    severity: "breaking",
    summary: "A required property received may now be absent",
  },
  "response-property-added": { severity: "info", summary: "An object received has a new property" },
  "error-added": {
    severity: "warning",
    summary: "A procedure declares a new error, which callers do not handle yet",
  },
  "error-removed": {
    severity: "warning",
    summary: "A declared error is gone (a typed client comparing its code no longer type-checks)",
  },
  "error-status-changed": {
    severity: "breaking",
    summary: "A declared error has another HTTP status",
  },
} as const satisfies Record<string, Rule>;

/** The id of a rule of {@linkcode RULES}. */
export type RuleId = keyof typeof RULES;

/**
 * Whether a string is the id of a rule of {@linkcode RULES}.
 *
 * @param value The string.
 * @returns `true` for a rule id.
 *
 * @example
 * ```ts
 * import { isRuleId } from "@netscript/contract-check";
 *
 * console.log(isRuleId("procedure-removed")); // true
 * ```
 */
export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULES, value);
}
