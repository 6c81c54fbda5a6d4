import { type AnyContractRouter, isContractProcedure } from "@orpc/contract";
import { NetScriptError } from "@netscript/contracts";
import type { ServiceErrorCode } from "./service_error_codes.ts";

/** REST paths (under `/api`) the service answers itself, and what for. */
const RESERVED: readonly { test: (path: string) => boolean; owner: string }[] = [
  { test: (path) => path === "/rpc" || path.startsWith("/rpc/"), owner: "the RPC protocol" },
  { test: (path) => path === "/docs" || path.startsWith("/docs/"), owner: "the API reference" },
  { test: (path) => path === "/openapi.json", owner: "the OpenAPI document" },
];

/**
 * Rejects a contract whose REST routes would be shadowed by the paths the
 * service itself serves under `/api` (`/rpc/*`, `/docs`, `/openapi.json`).
 * A procedure without `.route({ path })` is served at its key path, so a
 * top-level procedure named `docs` collides too.
 *
 * @param contract The contract router.
 * @throws {NetScriptError} `SERVICE_RESERVED_ROUTE` naming the procedure and path.
 */
export function assertNoReservedRoutes(contract: AnyContractRouter): void {
  _walk(contract, []);
}

function _walk(router: AnyContractRouter, path: readonly string[]): void {
  if (isContractProcedure(router)) {
    const routePath = router["~orpc"].route.path ?? `/${path.join("/")}`;
    const reserved = RESERVED.find((entry) => entry.test(routePath));
    if (reserved) {
      const procedure = path.join(".");
      throw new NetScriptError<ServiceErrorCode>(
        "SERVICE_RESERVED_ROUTE",
        `Cannot serve procedure "${procedure}" at /api${routePath}: that path is reserved for ${reserved.owner}; give the procedure another .route({ path })`,
        { details: { procedure, path: `/api${routePath}` } },
      );
    }
    return;
  }
  for (const [key, child] of Object.entries(router)) {
    _walk(child as AnyContractRouter, [...path, key]);
  }
}
