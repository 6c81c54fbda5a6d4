/**
 * Contracts are the source of truth of a NetScript service: one oRPC contract
 * drives the typed client, the server router, the REST routes, the OpenAPI
 * document and the traces. This package holds the pieces every contract
 * shares: a builder pre-loaded with the common error map, pagination schemas,
 * and the framework's error type.
 *
 * @example Define a contract
 * ```ts
 * import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
 * import { z } from "zod";
 *
 * const User = z.object({ id: z.string(), name: z.string() });
 *
 * export const usersContract = {
 *   list: baseContract
 *     .route({ method: "GET", path: "/users" })
 *     .input(OffsetPaginationQuerySchema)
 *     .output(paginatedSchema(User)),
 *   get: baseContract
 *     .route({ method: "GET", path: "/users/{id}" })
 *     .input(z.object({ id: z.string() }))
 *     .output(User),
 * };
 * ```
 *
 * @module
 */

export {
  ACCESS,
  type Access,
  access,
  type AccessSpec,
  declaredAccess,
  type OperationObject,
  type Principal,
  type PrincipalUser,
  securityRequirements,
  SERVICE_CREDENTIAL_SCHEME,
  SESSION_SCHEME,
  type SessionAccessOptions,
} from "./access.ts";
export { baseContract, type BaseContractBuilder } from "./base_contract.ts";
export { isContractRouter } from "./contract_router.ts";
export {
  BadRequestDataSchema,
  COMMON_ERRORS,
  type CommonErrorMap,
  ConflictDataSchema,
  NotFoundDataSchema,
  ServiceUnavailableDataSchema,
  TooManyRequestsDataSchema,
  type ValidationIssue,
  ValidationIssueSchema,
} from "./common_errors.ts";
export {
  type OffsetPaginationQuery,
  OffsetPaginationQuerySchema,
  paginate,
  type Paginated,
  type PaginatedSchema,
  paginatedSchema,
  type QueryIntegerSchema,
} from "./pagination.ts";
export {
  isNetScriptError,
  NetScriptError,
  type NetScriptErrorDetails,
  type NetScriptErrorJson,
  type NetScriptErrorOptions,
} from "./netscript_error.ts";
export { isStoreError, STORE_ERROR_CODES, type StoreErrorCode } from "./store_error_codes.ts";
export {
  formatIssues,
  type FormatIssuesOptions,
  type FormattedIssue,
  type SchemaIssue,
  type SchemaIssuePathSegment,
} from "./format_issues.ts";
