import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/contracts/errors exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./errors.ts", import.meta.url)), [
    "formatIssues",
    "type FormatIssuesOptions",
    "type FormattedIssue",
    "isNetScriptError",
    "isStoreError",
    "NetScriptError",
    "type NetScriptErrorDetails",
    "type NetScriptErrorJson",
    "type NetScriptErrorOptions",
    "type SchemaIssue",
    "type SchemaIssuePathSegment",
    "STORE_ERROR_CODES",
    "type StoreErrorCode",
  ]);
});
