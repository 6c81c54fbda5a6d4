import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/service exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createService",
    "type CreateServiceOptions",
    "type HealthCheck",
    "type HealthCheckResult",
    "type HealthReport",
    "implement",
    "type OpenAPIDocument",
    "type OpenAPISecurityScheme",
    "type PlainError",
    "plainErrorResponse",
    "readBody",
    "type ReadBodyOptions",
    "type ReadBodyResult",
    "type Refusal",
    "refuseCrossSite",
    "type RunningService",
    "type ServeOptions",
    "type Service",
    "SERVICE_ERROR_CODES",
    "type ServiceContext",
    "type ServiceErrorCode",
    "type ServiceMount",
    "type ServiceOpenAPIOptions",
    "type ServiceVersion",
    "storeUnavailableAnswer",
    "type StoreUnavailableAnswer",
    "type VersionDeprecation",
  ]);
});
