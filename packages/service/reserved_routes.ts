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

/** Paths outside `/api` the service answers itself. */
const OWN_PATHS = ["/health", "/alive"] as const;

/**
 * Checks the prefixes of a service's mounts: each starts and ends with `/`,
 * none covers `/api/`, `/health` or `/alive`, and none covers another.
 *
 * @param mounts The mounts, as given.
 * @returns The mounts, as given.
 * @throws {NetScriptError} `SERVICE_RESERVED_ROUTE` naming the prefix and
 * what it would shadow.
 */
export function checkMounts<T extends { readonly prefix: string }>(
  mounts: readonly T[],
): readonly T[] {
  for (const { prefix } of mounts) {
    const refuse = (reason: string) =>
      new NetScriptError<ServiceErrorCode>(
        "SERVICE_RESERVED_ROUTE",
        `Cannot mount a handler at "${prefix}": ${reason}`,
        { details: { prefix } },
      );
    if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length < 3) {
      throw refuse("a mount prefix starts and ends with / and names a path, e.g. /v1/stream/");
    }
    if (prefix.startsWith("/api/") || "/api/".startsWith(prefix)) {
      throw refuse(
        "paths under /api/ belong to the contract's routes; choose a prefix outside /api/",
      );
    }
    const own = OWN_PATHS.find((path) => `${path}/`.startsWith(prefix));
    if (own !== undefined) throw refuse(`it would shadow ${own}; choose another prefix`);
    const other = mounts.find((m) => m.prefix !== prefix && m.prefix.startsWith(prefix));
    if (other !== undefined) {
      throw refuse(`it covers the mount at "${other.prefix}"; give each mount its own prefix`);
    }
    if (mounts.filter((m) => m.prefix === prefix).length > 1) {
      throw refuse("two mounts share the prefix; give each mount its own prefix");
    }
  }
  return mounts;
}
