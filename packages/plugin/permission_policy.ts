/**
 * What a plugin's manifest may ask for on its own, and what needs the
 * workspace's explicit grant in `netscript.config.ts`: paths outside the
 * workspace, all files, subprocesses, native libraries, system
 * information, every variable and every host.
 *
 * @module
 */
import { posix } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { Registry } from "./compose_registry.ts";
import type { DenoPermissions, PermissionGrant } from "./permissions.ts";
import type { PluginErrorCode } from "./plugin_error_codes.ts";

/** One permission a resource asks for that the workspace has not granted. */
export interface PermissionViolation {
  /** The resource, e.g. `workers-worker`. */
  readonly resource: string;
  /** The plugin that declares it. */
  readonly plugin: string;
  /** The permission, e.g. `run`. */
  readonly permission: keyof Omit<DenoPermissions, "unstable">;
  /** What was asked for: `true` (all of it) or one value. */
  readonly value: true | string;
  /** Why a manifest cannot ask for it alone. */
  readonly reason: string;
}

/** Permissions a manifest never gets without the workspace's grant, and why. */
const GUARDED: Readonly<Record<"run" | "ffi" | "sys", string>> = {
  run: "a subprocess runs outside the permission sandbox",
  ffi: "a native library runs outside the permission sandbox",
  sys: "system information identifies the machine",
};

/**
 * The permissions one resource asks for beyond what a manifest may ask for
 * on its own, less what `granted` (the workspace's grant for it) allows.
 * A manifest may ask for hosts, variable names, and paths inside the
 * workspace; `true` for net, env, read or write, any path outside the
 * workspace (absolute, or climbing out with `..`), and any run, ffi or sys
 * need a grant.
 *
 * @param resource The resource's name, plugin and permissions.
 * @param granted What the workspace grants it, if anything.
 * @returns The permissions not granted; empty when it may run as declared.
 *
 * @example
 * ```ts
 * import { permissionViolations } from "@netscript/plugin";
 *
 * const asked = { name: "media-worker", plugin: "media", permissions: { run: ["ffmpeg"] } };
 * console.log(permissionViolations(asked).map((v) => v.permission)); // ["run"]
 * console.log(permissionViolations(asked, { run: ["ffmpeg"] })); // []
 * ```
 */
export function permissionViolations(
  resource: {
    readonly name: string;
    readonly plugin: string;
    readonly permissions: DenoPermissions;
  },
  granted: DenoPermissions = {},
): PermissionViolation[] {
  const found: PermissionViolation[] = [];
  const add = (
    permission: PermissionViolation["permission"],
    value: true | string,
    reason: string,
  ) => {
    if (!_covers(granted[permission], value)) {
      found.push({ resource: resource.name, plugin: resource.plugin, permission, value, reason });
    }
  };
  const { permissions } = resource;
  for (const permission of ["net", "env"] as const) {
    if (permissions[permission] === true) {
      add(permission, true, `all of ${permission === "net" ? "the network" : "the environment"}`);
    }
  }
  for (const permission of ["read", "write"] as const) {
    const grant = permissions[permission];
    if (grant === true) add(permission, true, "every file on the machine");
    else if (Array.isArray(grant)) {
      for (const path of grant) {
        if (_outsideWorkspace(path)) add(permission, path, "a path outside the workspace");
      }
    }
  }
  for (const [permission, reason] of Object.entries(GUARDED) as [keyof typeof GUARDED, string][]) {
    const grant = permissions[permission];
    if (grant === true) add(permission, true, reason);
    else if (Array.isArray(grant)) { for (const value of grant) add(permission, value, reason); }
  }
  return found;
}

/**
 * Checks every service and processor of a registry against the policy and
 * the workspace's grants.
 *
 * @param registry The workspace's plugins.
 * @param grants The `permissions` of `netscript.config.ts`, by resource name.
 * @throws {NetScriptError} `PLUGIN_PERMISSION_NOT_GRANTED` listing every
 * permission not granted, with the `netscript.config.ts` entry that grants it.
 *
 * @example
 * ```ts
 * import { assertPermissionsGranted, composeRegistry } from "@netscript/plugin";
 *
 * assertPermissionsGranted(composeRegistry([]), {});
 * ```
 */
export function assertPermissionsGranted(
  registry: Registry,
  grants: Readonly<Record<string, DenoPermissions>> = {},
): void {
  const violations = [...registry.services, ...registry.processors].flatMap((resource) =>
    permissionViolations(resource, grants[resource.name])
  );
  if (violations.length === 0) return;
  const byResource = Map.groupBy(violations, (violation) => violation.resource);
  const asked = violations.map((v) =>
    `${v.resource} (plugin "${v.plugin}") asks for ${v.permission} ${
      v.value === true ? "(all of it)" : JSON.stringify(v.value)
    }: ${v.reason}`
  );
  const entries = [...byResource].map(([resource, list]) =>
    `${JSON.stringify(resource)}: ${_grantText(list)}`
  );
  throw new NetScriptError<PluginErrorCode>(
    "PLUGIN_PERMISSION_NOT_GRANTED",
    `${
      asked.join("; ")
    }. A manifest cannot grant itself this; if you trust the plugin, grant it in netscript.config.ts: permissions: { ${
      entries.join(", ")
    } }`,
    { details: { violations } },
  );
}

function _covers(grant: PermissionGrant | undefined, value: true | string): boolean {
  if (grant === true) return true;
  if (value === true || !Array.isArray(grant)) return false;
  return grant.includes(value);
}

function _outsideWorkspace(path: string): boolean {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("~")) return true;
  const normalized = posix.normalize(path.replaceAll("\\", "/"));
  return normalized === ".." || normalized.startsWith("../");
}

function _grantText(violations: readonly PermissionViolation[]): string {
  const byPermission = Map.groupBy(violations, (violation) => violation.permission);
  const parts = [...byPermission].map(([permission, list]) =>
    list.some((v) => v.value === true)
      ? `${permission}: true`
      : `${permission}: ${JSON.stringify(list.map((v) => v.value))}`
  );
  return `{ ${parts.join(", ")} }`;
}
