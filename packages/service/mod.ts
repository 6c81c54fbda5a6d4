/**
 * Serve an oRPC contract. `createService` puts, on one port: the RPC
 * protocol the typed client speaks (`/api/rpc`), REST routes from each
 * procedure's `.route()` (`/api/*`), the OpenAPI document
 * (`/api/openapi.json`), a self-hosted Scalar reference (`/api/docs`),
 * `/health` and `/alive`, with a span per procedure call and a JSON log line
 * per request. A handler whose store cannot be used (`STORE_UNAVAILABLE`,
 * `SCHEMA_MISSING`) is answered `503 SERVICE_UNAVAILABLE`. A mount (a raw
 * handler under a prefix) reads bodies with the same bounds (`readBody`) and
 * answers errors in the same shape (`plainErrorResponse`).
 *
 * @example
 * ```ts ignore
 * import { baseContract } from "@netscript/contracts";
 * import { createService, implement } from "@netscript/service";
 * import { z } from "zod";
 *
 * const contract = {
 *   hello: baseContract
 *     .route({ method: "GET", path: "/hello" })
 *     .input(z.object({ name: z.string() }))
 *     .output(z.object({ message: z.string() })),
 * };
 * const os = implement(contract);
 * const router = os.router({
 *   hello: os.hello.handler(({ input }) => ({ message: `Hello, ${input.name}` })),
 * });
 *
 * createService({ name: "greeter", contract, router }).serve();
 * ```
 *
 * @module
 */

export { implement } from "./implement.ts";
export type { DefaultAccess } from "./access_check.ts";
export {
  createGuard,
  type Guard,
  guardFromEnvironment,
  type GuardFromEnvironmentOptions,
  type GuardOptions,
} from "./guard.ts";
export { REVOCATION_FEED_PATH } from "./revocation_feed.ts";
export {
  createRevocationHub,
  type RevocationHub,
  type RevocationHubOptions,
} from "./revocation_hub.ts";
export {
  createService,
  type CreateServiceOptions,
  type Service,
  type ServiceContext,
  type ServiceMount,
  type ServiceVersion,
} from "./create_service.ts";
export type { VersionDeprecation } from "./api_surface.ts";
export type { HealthCheck, HealthCheckResult, HealthReport } from "./health.ts";
export { type PlainError, plainErrorResponse } from "./plain_error.ts";
export { readBody, type ReadBodyOptions, type ReadBodyResult } from "./read_body.ts";
export { type Refusal, refuseCrossSite } from "./request_guard.ts";
export { type StoreUnavailableAnswer, storeUnavailableAnswer } from "./store_unavailable.ts";
export type {
  OpenAPIDocument,
  OpenAPISecurityScheme,
  ServiceOpenAPIOptions,
} from "./openapi_document.ts";
export type { RunningService, ServeOptions } from "./serve.ts";
export { SERVICE_ERROR_CODES, type ServiceErrorCode } from "./service_error_codes.ts";
