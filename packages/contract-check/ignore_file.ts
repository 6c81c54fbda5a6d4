import type { Finding } from "./compare_snapshots.ts";
import { isRuleId, type RuleId } from "./rules.ts";

/** One accepted finding: which one, and why it may ship. */
export interface IgnoreEntry {
  /** The rule id. */
  readonly rule: RuleId;
  /** The procedure's dotted path (empty for a whole contract). */
  readonly procedure: string;
  /** Only the finding at this path; every path of the procedure when absent. */
  readonly path?: string;
  /** Only in this contract (`workers v1`, `app apiContract`); any when absent. */
  readonly contract?: string;
  /** Why the change may ship; required, never empty. */
  readonly reason: string;
}

/** What {@linkcode parseIgnoreFile} makes of a file: its entries, or every problem in it. */
export type IgnoreFileResult =
  | { readonly ok: true; readonly entries: readonly IgnoreEntry[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads an ignore file: JSON of the shape
 * `{ "ignore": [{ "rule", "procedure", "path"?, "contract"?, "reason" }] }`.
 * Every entry needs a known rule id, a procedure and a non-empty reason.
 *
 * @param text The file's text.
 * @returns The entries, or every problem found (one line each, naming the entry).
 *
 * @example
 * ```ts
 * import { parseIgnoreFile } from "@netscript/contract-check";
 *
 * const result = parseIgnoreFile(JSON.stringify({
 *   ignore: [{ rule: "procedure-removed", procedure: "legacy.ping", reason: "no caller since 2025" }],
 * }));
 * console.log(result.ok); // true
 * ```
 */
export function parseIgnoreFile(text: string): IgnoreFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not JSON: ${(error as Error).message}`] };
  }
  const list = (json as { ignore?: unknown } | null)?.ignore;
  if (!Array.isArray(list)) {
    return { ok: false, problems: ['the file must be a JSON object with an "ignore" array'] };
  }
  const problems: string[] = [];
  const entries: IgnoreEntry[] = [];
  list.forEach((raw: unknown, index) => {
    const at = `ignore[${index}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const entry = raw as Record<string, unknown>;
    const before = problems.length;
    if (typeof entry.rule !== "string" || !isRuleId(entry.rule)) {
      problems.push(`${at}.rule ${JSON.stringify(entry.rule)} is not a rule id`);
    }
    if (typeof entry.procedure !== "string") problems.push(`${at}.procedure must be a string`);
    for (const key of ["path", "contract"] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== "string") {
        problems.push(`${at}.${key} must be a string when given`);
      }
    }
    if (typeof entry.reason !== "string" || entry.reason.trim() === "") {
      problems.push(`${at} has no reason; say why the change may ship`);
    }
    if (problems.length > before) return;
    entries.push({
      rule: entry.rule as RuleId,
      procedure: entry.procedure as string,
      ...(typeof entry.path === "string" ? { path: entry.path } : {}),
      ...(typeof entry.contract === "string" ? { contract: entry.contract } : {}),
      reason: (entry.reason as string).trim(),
    });
  });
  return problems.length === 0 ? { ok: true, entries } : { ok: false, problems };
}

/** The findings an ignore file leaves, those it accepts with their reasons, and the entries no finding matched. */
export interface AppliedIgnores<TFinding extends Finding> {
  /** The findings no entry matches. */
  readonly kept: readonly TFinding[];
  /** The findings an entry matches, with its reason. */
  readonly ignored: readonly (TFinding & { readonly reason: string })[];
  /** The entries that matched nothing: stale, or mistyped. */
  readonly unused: readonly IgnoreEntry[];
}

/**
 * Sets aside the findings an ignore file accepts.
 *
 * @param findings The findings.
 * @param entries The ignore file's entries.
 * @returns What is kept, what is ignored and why, and the entries that matched nothing.
 *
 * @example
 * ```ts
 * import { applyIgnores, type Finding } from "@netscript/contract-check";
 *
 * const finding: Finding = {
 *   rule: "procedure-removed", severity: "breaking", procedure: "ping", path: "", message: "ping: procedure removed",
 * };
 * const { kept } = applyIgnores([finding], [{ rule: "procedure-removed", procedure: "ping", reason: "unused" }]);
 * console.log(kept.length); // 0
 * ```
 */
export function applyIgnores<TFinding extends Finding & { readonly contract?: string }>(
  findings: readonly TFinding[],
  entries: readonly IgnoreEntry[],
): AppliedIgnores<TFinding> {
  const used = new Set<IgnoreEntry>();
  const kept: TFinding[] = [];
  const ignored: (TFinding & { reason: string })[] = [];
  for (const finding of findings) {
    const entry = entries.find((candidate) =>
      candidate.rule === finding.rule && candidate.procedure === finding.procedure &&
      (candidate.path === undefined || candidate.path === finding.path) &&
      (candidate.contract === undefined || candidate.contract === finding.contract)
    );
    if (entry === undefined) {
      kept.push(finding);
      continue;
    }
    used.add(entry);
    ignored.push({ ...finding, reason: entry.reason });
  }
  return { kept, ignored, unused: entries.filter((entry) => !used.has(entry)) };
}
