import { _compareSchemas, type _Side } from "./_compare_schemas.ts";
import { type RuleId, RULES, type Severity } from "./rules.ts";
import type { ContractSnapshot, ProcedureSnapshot, SchemaSnapshot } from "./snapshot.ts";

/** One change between two contracts, judged by a rule. */
export interface Finding {
  /** The rule that fired, e.g. `request-required-property-added`. */
  readonly rule: RuleId;
  /** The rule's severity. */
  readonly severity: Severity;
  /** The procedure's dotted path, e.g. `notes.create`; empty for a whole contract. */
  readonly procedure: string;
  /**
   * Where in the procedure: `route.method`, `input.title`, `output.items[].id`,
   * `errors.NOT_FOUND.data.id`, …; empty for the procedure itself.
   */
  readonly path: string;
  /** One line naming the procedure and what changed. */
  readonly message: string;
}

/** A finding of {@linkcode compareContractSets}: a finding and the contract it is in. */
export interface ContractFinding extends Finding {
  /** The contract's name in the sets, e.g. `workers v1`. */
  readonly contract: string;
}

/**
 * Compares two snapshots of a contract and lists every change a rule of
 * {@linkcode RULES} names, breaking ones first, then by procedure and path.
 * Inputs break when they accept fewer values; outputs and error data break
 * when they may hold more.
 *
 * @param before The contract callers were written against.
 * @param after The contract they will meet.
 * @returns The findings.
 *
 * @example
 * ```ts
 * import { baseContract } from "@netscript/contracts";
 * import { compareSnapshots, snapshotContract } from "@netscript/contract-check";
 * import { z } from "zod";
 *
 * const v1 = snapshotContract({ create: baseContract.input(z.object({ title: z.string() })) });
 * const v2 = snapshotContract({
 *   create: baseContract.input(z.object({ title: z.string(), body: z.string() })),
 * });
 * console.log(compareSnapshots(v1, v2).map((finding) => finding.rule));
 * // ["request-required-property-added"]
 * ```
 */
export function compareSnapshots(before: ContractSnapshot, after: ContractSnapshot): Finding[] {
  const findings: Finding[] = [];
  const names = new Set([...Object.keys(before.procedures), ...Object.keys(after.procedures)]);
  for (const name of names) {
    const report = (rule: RuleId, path: string, message: string) =>
      findings.push({
        rule,
        severity: RULES[rule].severity,
        procedure: name,
        path,
        message: `${name}: ${message}`,
      });
    const old = before.procedures[name];
    const now = after.procedures[name];
    if (old === undefined) {
      report("procedure-added", "", `new procedure (${now!.route.method} ${now!.route.path})`);
    } else if (now === undefined) {
      report(
        "procedure-removed",
        "",
        `procedure removed (was ${old.route.method} ${old.route.path})`,
      );
    } else _compareProcedures(old, now, report);
  }
  return _sorted(findings);
}

/**
 * Compares two sets of named contracts (a workspace's plugin versions and
 * app contracts, at two points in time): a contract in `before` only is
 * `contract-removed`, one in `after` only `contract-added`, and the
 * contracts in both are compared with {@linkcode compareSnapshots}.
 *
 * @param before The contracts by name, as callers knew them.
 * @param after The contracts by name, as they are now.
 * @returns The findings, each naming its contract.
 *
 * @example
 * ```ts
 * import { compareContractSets } from "@netscript/contract-check";
 *
 * const findings = compareContractSets({ "workers v1": { procedures: {} } }, {});
 * console.log(findings[0]?.rule); // "contract-removed"
 * ```
 */
export function compareContractSets(
  before: Readonly<Record<string, ContractSnapshot>>,
  after: Readonly<Record<string, ContractSnapshot>>,
): ContractFinding[] {
  const findings: ContractFinding[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const contract of names) {
    const old = before[contract];
    const now = after[contract];
    if (old === undefined || now === undefined) {
      const rule = old === undefined ? "contract-added" : "contract-removed";
      findings.push({
        rule,
        severity: RULES[rule].severity,
        procedure: "",
        path: "",
        message: `${contract}: ${old === undefined ? "new contract" : "contract removed"}`,
        contract,
      });
      continue;
    }
    for (const finding of compareSnapshots(old, now)) {
      findings.push({ ...finding, contract, message: `${contract} ${finding.message}` });
    }
  }
  return _sorted(findings);
}

function _compareProcedures(
  old: ProcedureSnapshot,
  now: ProcedureSnapshot,
  report: (rule: RuleId, path: string, message: string) => void,
): void {
  if (old.route.method !== now.route.method) {
    report(
      "route-method-changed",
      "route.method",
      `method ${old.route.method} → ${now.route.method}`,
    );
  }
  if (old.route.path !== now.route.path) {
    report("route-path-changed", "route.path", `path ${old.route.path} → ${now.route.path}`);
  }
  if (old.route.successStatus !== now.route.successStatus) {
    report(
      "route-success-status-changed",
      "route.successStatus",
      `success status ${old.route.successStatus} → ${now.route.successStatus}`,
    );
  }
  _compareSlot(old.input, now.input, "request", "input", report);
  _compareSlot(old.output, now.output, "response", "output", report);
  for (const code of new Set([...Object.keys(old.errors), ...Object.keys(now.errors)])) {
    const path = `errors.${code}`;
    const before = old.errors[code];
    const after = now.errors[code];
    if (before === undefined) {
      report("error-added", path, `declares a new error ${code} (${after!.status})`);
    } else if (after === undefined) {
      report("error-removed", path, `no longer declares error ${code} (${before.status})`);
    } else {
      if (before.status !== after.status) {
        report(
          "error-status-changed",
          `${path}.status`,
          `error ${code} status ${before.status} → ${after.status}`,
        );
      }
      _compareSlot(before.data, after.data, "response", `${path}.data`, report);
    }
  }
}

function _compareSlot(
  old: SchemaSnapshot,
  now: SchemaSnapshot,
  side: _Side,
  path: string,
  report: (rule: RuleId, path: string, message: string) => void,
): void {
  if (side === "request" && old.optional && !now.optional) {
    report("request-became-required", path, `${path} was optional and is now required`);
  }
  if (side === "response" && !old.optional && now.optional) {
    report("response-became-optional", path, `${path} may now be absent`);
  }
  _compareSchemas(old.schema, now.schema, side, path, report);
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { breaking: 0, warning: 1, info: 2 };

function _sorted<T extends Finding>(findings: T[]): T[] {
  return findings.sort((a, b) =>
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.procedure < b.procedure ? -1 : a.procedure > b.procedure ? 1 : 0) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}
