import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/contract-check exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "type AppliedIgnores",
    "applyIgnores",
    "compareContractSets",
    "compareSnapshots",
    "type ContractFinding",
    "type ContractSnapshot",
    "type ErrorSnapshot",
    "type Finding",
    "type IgnoreEntry",
    "type IgnoreFileResult",
    "isRuleId",
    "type JsonSchema",
    "parseIgnoreFile",
    "type ProcedureSnapshot",
    "type RouteSnapshot",
    "type Rule",
    "type RuleId",
    "RULES",
    "type SchemaSnapshot",
    "type Severity",
    "snapshotContract",
  ]);
});
