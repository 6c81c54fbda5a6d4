/**
 * The breaking-change checker of NetScript contracts. It reduces an oRPC
 * contract to a snapshot (each procedure's route, and its input, output and
 * error data as the JSON Schema the OpenAPI document shows), compares two
 * snapshots, and names each change with a rule of a fixed catalog: a rule
 * id, a severity (`breaking`, `warning`, `info`) and the path it concerns.
 * A change is breaking when a caller that followed the old contract can stop
 * working under the new one: inputs break when they accept fewer values,
 * outputs and error data when they may hold more. `netscript contract check`
 * runs it on a workspace.
 *
 * @example Compare two versions of a contract
 * ```ts
 * import { baseContract } from "@netscript/contracts";
 * import { compareSnapshots, snapshotContract } from "@netscript/contract-check";
 * import { z } from "zod";
 *
 * const v1 = { get: baseContract.output(z.object({ id: z.string(), title: z.string() })) };
 * const v2 = { get: baseContract.output(z.object({ id: z.string(), title: z.string().optional() })) };
 * for (const finding of compareSnapshots(snapshotContract(v1), snapshotContract(v2))) {
 *   console.log(finding.severity, finding.rule, finding.message);
 * }
 * // breaking response-property-became-optional get: output.title may now be absent
 * ```
 *
 * @module
 */

export {
  type ContractSnapshot,
  type ErrorSnapshot,
  type JsonSchema,
  type ProcedureSnapshot,
  type RouteSnapshot,
  type SchemaSnapshot,
  snapshotContract,
} from "./snapshot.ts";
export {
  compareContractSets,
  compareSnapshots,
  type ContractFinding,
  type Finding,
} from "./compare_snapshots.ts";
export { isRuleId, type Rule, type RuleId, RULES, type Severity } from "./rules.ts";
export {
  type AppliedIgnores,
  applyIgnores,
  type IgnoreEntry,
  type IgnoreFileResult,
  parseIgnoreFile,
} from "./ignore_file.ts";
