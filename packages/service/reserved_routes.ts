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
 * Refuses a contract whose REST routes would land on a path the service
 * answers itself: the RPC protocol, the reference page, the OpenAPI
 * document, or the prefix of one of its API versions (`/api/v1/…`).
 *
 * @param contract The contract router.
 * @param versionNames The names of the versions served next to it, e.g. `["v1"]`.
 * @throws {NetScriptError} `SERVICE_RESERVED_ROUTE` naming the procedure and path.
 */
export function assertNoReservedRoutes(
  contract: AnyContractRouter,
  versionNames: readonly string[] = [],
): void {
  const reserved = [
    ...RESERVED,
    ...versionNames.map((name) => ({
      test: (path: string) => path === `/${name}` || path.startsWith(`/${name}/`),
      owner: `API version ${name}`,
    })),
  ];
  _walk(contract, [], reserved);
}

function _walk(
  router: AnyContractRouter,
  path: readonly string[],
  reservedPaths: readonly { test: (path: string) => boolean; owner: string }[],
): void {
  if (isContractProcedure(router)) {
    const routePath = router["~orpc"].route.path ?? `/${path.join("/")}`;
    const reserved = reservedPaths.find((entry) => entry.test(routePath));
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
    _walk(child as AnyContractRouter, [...path, key], reservedPaths);
  }
}

/** What an API version's name looks like: `v` and a number, e.g. `v1`, `v12`. */
const VERSION_NAME = /^v[1-9][0-9]{0,5}$/;

/**
 * Checks the names of a service's API versions: each `v` and a number,
 * each once.
 *
 * @param names The names of `versions` and `currentVersion`.
 * @throws {NetScriptError} `SERVICE_INVALID_VERSION` naming the bad or repeated name.
 */
export function checkVersionNames(names: readonly string[]): void {
  for (const [index, name] of names.entries()) {
    if (!VERSION_NAME.test(name)) {
      throw new NetScriptError<ServiceErrorCode>(
        "SERVICE_INVALID_VERSION",
        `Cannot serve API version ${
          JSON.stringify(name)
        }: a version is named "v" and a number, e.g. "v1"`,
        { details: { version: name } },
      );
    }
    if (names.indexOf(name) !== index) {
      throw new NetScriptError<ServiceErrorCode>(
        "SERVICE_INVALID_VERSION",
        `Cannot serve API version "${name}" twice: currentVersion names the current contract, versions the older ones`,
        { details: { version: name } },
      );
    }
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
