import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import { z } from "zod";

/** One Deno permission: all of it (`true`), none (`false`/absent), or a list of allowed values. */
export type PermissionGrant = boolean | readonly string[];

/** Deno's unstable features a resource may enable (`--unstable-<feature>`). */
export const UNSTABLE_FEATURES = ["kv", "cron", "temporal", "net", "broadcast-channel"] as const;

/** One of {@linkcode UNSTABLE_FEATURES}. */
export type UnstableFeature = typeof UNSTABLE_FEATURES[number];

/**
 * The Deno permissions a resource runs with, as data. There is deliberately
 * no way to say "everything" (`-A`): each permission is granted on its own.
 */
export interface DenoPermissions {
  /** Network: `true`, or hosts such as `"localhost:5432"`. */
  readonly net?: PermissionGrant | undefined;
  /** Environment variables: `true`, or names. */
  readonly env?: PermissionGrant | undefined;
  /** File reads: `true`, or paths. */
  readonly read?: PermissionGrant | undefined;
  /** File writes: `true`, or paths. */
  readonly write?: PermissionGrant | undefined;
  /** Subprocesses: `true`, or program names. */
  readonly run?: PermissionGrant | undefined;
  /** System information: `true`, or API names such as `"hostname"`. */
  readonly sys?: PermissionGrant | undefined;
  /** Native libraries: `true`, or paths. */
  readonly ffi?: PermissionGrant | undefined;
  /** Unstable features to enable, such as `"kv"`. */
  readonly unstable?: readonly UnstableFeature[] | undefined;
}

const PERMISSION_NAMES = ["net", "env", "read", "write", "run", "sys", "ffi"] as const;

const grantSchema = z.union([
  z.boolean(),
  z.array(
    z.string().min(1, "must not be empty").refine((value) => !value.includes(","), {
      message: "must not contain a comma; list each value separately",
    }),
  ),
]);

/** Validates a {@linkcode DenoPermissions} value. */
export const DenoPermissionsSchema: z.ZodType<DenoPermissions> = z.strictObject({
  net: grantSchema.optional(),
  env: grantSchema.optional(),
  read: grantSchema.optional(),
  write: grantSchema.optional(),
  run: grantSchema.optional(),
  sys: grantSchema.optional(),
  ffi: grantSchema.optional(),
  unstable: z.array(
    z.enum(UNSTABLE_FEATURES, { message: `must be one of ${UNSTABLE_FEATURES.join(", ")}` }),
  ).optional(),
});

/**
 * Renders permissions as `deno run` flags, in a fixed order. A list grant
 * becomes `--allow-<name>=a,b`, `true` becomes `--allow-<name>`, and an empty
 * list or `false` grants nothing. It never renders `-A`.
 *
 * @param permissions The permissions.
 * @returns The flags, e.g. `["--allow-net=localhost:5432", "--unstable-kv"]`.
 *
 * @example
 * ```ts
 * import { renderPermissionFlags } from "@netscript/plugin";
 *
 * console.log(renderPermissionFlags({ net: ["0.0.0.0:8091"], env: true, unstable: ["kv"] }));
 * // ["--allow-net=0.0.0.0:8091", "--allow-env", "--unstable-kv"]
 * ```
 */
export function renderPermissionFlags(permissions: DenoPermissions): string[] {
  const flags: string[] = [];
  for (const name of PERMISSION_NAMES) {
    const grant = permissions[name];
    if (grant === true) flags.push(`--allow-${name}`);
    else if (Array.isArray(grant) && grant.length > 0) {
      flags.push(`--allow-${name}=${[...new Set(grant)].join(",")}`);
    }
  }
  for (const feature of [...new Set(permissions.unstable ?? [])].sort()) {
    flags.push(`--unstable-${feature}`);
  }
  return flags;
}

/**
 * Combines two permission sets: a grant of everything (`true`) wins, lists
 * are joined, and unstable features are joined.
 *
 * @param base The first set.
 * @param extra The second set.
 * @returns Both together.
 *
 * @example
 * ```ts
 * import { mergePermissions } from "@netscript/plugin";
 *
 * console.log(mergePermissions({ net: ["localhost:5432"] }, { net: ["api.example.com"], env: true }));
 * // { net: ["api.example.com", "localhost:5432"], env: true }
 * ```
 */
export function mergePermissions(base: DenoPermissions, extra: DenoPermissions): DenoPermissions {
  const merged: Record<string, unknown> = {};
  for (const name of PERMISSION_NAMES) {
    const a = base[name];
    const b = extra[name];
    if (a === undefined && b === undefined) continue;
    merged[name] = a === true || b === true
      ? true
      : [...new Set([...(Array.isArray(a) ? a : []), ...(Array.isArray(b) ? b : [])])].sort();
  }
  const unstable = [...new Set([...(base.unstable ?? []), ...(extra.unstable ?? [])])].sort();
  if (unstable.length > 0) merged.unstable = unstable;
  return merged as DenoPermissions;
}

/** What {@linkcode checkGrantedPermissions} checks, and the error it raises. */
export interface GrantedPermissionsCheck<TCode extends string> {
  /** The option's name, e.g. `jobPermissions`. */
  readonly option: string;
  /** The builder that took it, e.g. `defineWorkersPlugin`. */
  readonly builder: string;
  /** Who reads the variables, e.g. `your jobs`. */
  readonly readers: string;
  /** The plugin's own code for an invalid grant, e.g. `WORKERS_INVALID_PERMISSIONS`. */
  readonly code: TCode;
}

/**
 * Checks permissions a plugin option grants to the workspace's own code
 * (a worker's jobs, a runner's saga steps, what `auth-api` needs to reach
 * a provider): every problem the schema finds, and `env: true`, which
 * would stop the variables the plugin's stores need from being passed on.
 *
 * @param permissions The option's value.
 * @param check The option, the builder, who reads the variables, and the code to raise.
 * @returns The permissions, unchanged, when they are valid.
 * @throws {NetScriptError} `check.code`, `Invalid <option> in <builder>: …` with
 * one clause per problem and `details.problems`.
 *
 * @example
 * ```ts
 * import { checkGrantedPermissions } from "@netscript/plugin";
 *
 * const check = {
 *   option: "jobPermissions",
 *   builder: "defineWorkersPlugin",
 *   readers: "your jobs",
 *   code: "WORKERS_INVALID_PERMISSIONS",
 * };
 * console.log(checkGrantedPermissions({ net: ["api.example.com"] }, check));
 * try {
 *   checkGrantedPermissions({ env: true }, check);
 * } catch (error) {
 *   console.log((error as Error).message);
 *   // "Invalid jobPermissions in defineWorkersPlugin: env must list the variable names your jobs read, not true"
 * }
 * ```
 */
export function checkGrantedPermissions<TCode extends string>(
  permissions: DenoPermissions,
  check: GrantedPermissionsCheck<TCode>,
): DenoPermissions {
  const result = DenoPermissionsSchema.safeParse(permissions, { reportInput: true });
  const problems = result.success
    ? []
    : formatIssues(result.error.issues, { root: `(${check.option})` })
      .map((issue) => `${issue.path} ${issue.message}`);
  if (permissions?.env === true) {
    problems.push(`env must list the variable names ${check.readers} read, not true`);
  }
  if (problems.length > 0) {
    throw new NetScriptError<TCode>(
      check.code,
      `Invalid ${check.option} in ${check.builder}: ${problems.join("; ")}`,
      { details: { problems } },
    );
  }
  return permissions;
}
