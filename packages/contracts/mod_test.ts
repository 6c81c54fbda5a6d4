import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/contracts exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "BadRequestDataSchema",
    "baseContract",
    "type BaseContractBuilder",
    "COMMON_ERRORS",
    "type CommonErrorMap",
    "ConflictDataSchema",
    "formatIssues",
    "type FormatIssuesOptions",
    "type FormattedIssue",
    "isContractRouter",
    "isNetScriptError",
    "isStoreError",
    "NetScriptError",
    "type NetScriptErrorDetails",
    "type NetScriptErrorJson",
    "type NetScriptErrorOptions",
    "NotFoundDataSchema",
    "type OffsetPaginationQuery",
    "OffsetPaginationQuerySchema",
    "paginate",
    "type Paginated",
    "paginatedSchema",
    "type PaginatedSchema",
    "type QueryIntegerSchema",
    "type SchemaIssue",
    "type SchemaIssuePathSegment",
    "ServiceUnavailableDataSchema",
    "STORE_ERROR_CODES",
    "type StoreErrorCode",
    "TooManyRequestsDataSchema",
    "type ValidationIssue",
    "ValidationIssueSchema",
  ]);
});
