import { join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";
import {
  dependencyImports,
  localPackageImports,
  type PackageConfig,
  readPackageConfig,
} from "./import_map.ts";
import { CLI_PACKAGE, WORKSPACE_NPM_IMPORTS } from "./templates/release.generated.ts";
import { exists } from "./workspace.ts";

/**
 * The permissions the `netscript` CLI runs with (a workspace's
 * `deno task netscript`): it reads and writes the workspace, runs `deno` and
 * Prisma, probes stores, loads the SQLite engine, and opens the Deno KV
 * file that keeps config topics (`netscript config`).
 */
export const CLI_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-net",
  "--allow-sys",
  "--allow-ffi",
  "--unstable-kv",
];

/** The framework packages a workspace imports, and the npm packages they pin. */
export interface FrameworkImports {
  /** Import map entries. */
  imports: Record<string, string>;
  /** Where the packages come from: a local checkout, or JSR. */
  source: { kind: "link"; path: string } | { kind: "jsr"; version: string };
}

/** The packages every scaffolded workspace imports. */
const WORKSPACE_PACKAGES = [
  "contracts",
  "service",
  "sdk",
  "telemetry",
  "plugin",
  "runtime",
  "runtime-config",
  "store",
  "db",
  "aspire",
] as const;

/** The generated `@db` module, which every workspace imports whatever the source. */
const DB_ENTRY = { "@db": "./.netscript/db/mod.ts" } as const;

/**
 * Builds the framework part of a workspace's import map. With `link`, every
 * `@netscript/*` package resolves to the files of that checkout and its npm
 * dependencies are pinned as the checkout pins them; otherwise the packages
 * come from JSR at `version`, and the npm packages the workspace imports
 * itself are pinned as this release pins them.
 *
 * @param options The checkout to link, and the version for JSR.
 * @returns The entries.
 * @throws {NetScriptError} `LINK_INVALID` when `link` is not a NetScript checkout.
 */
export async function frameworkImports(
  options: { link?: string | undefined; version: string },
): Promise<FrameworkImports> {
  if (options.link === undefined) {
    const imports: Record<string, string> = { ...WORKSPACE_NPM_IMPORTS, ...DB_ENTRY };
    for (const name of WORKSPACE_PACKAGES) {
      imports[`@netscript/${name}`] = `jsr:@netscript/${name}@^${options.version}`;
    }
    return { imports, source: { kind: "jsr", version: options.version } };
  }
  const root = resolve(options.link);
  if (!(await exists(join(root, "packages", "plugin", "deno.json")))) {
    throw new NetScriptError<CliErrorCode>(
      "LINK_INVALID",
      `--link ${options.link} is not a NetScript checkout (no packages/plugin/deno.json in ${root}); pass the folder of the netscript repository`,
      { details: { link: root } },
    );
  }
  const directories = await linkedPackageDirectories(root);
  const imports: Record<string, string> = {};
  for (const directory of directories) {
    Object.assign(imports, localPackageImports(directory, await readPackageConfig(directory)));
  }
  const rootImports = await checkoutImports(root);
  Object.assign(imports, await dependencyImports(directories, rootImports), {
    zod: rootImports.zod,
    "@prisma/client": rootImports["@prisma/client"],
  }, DB_ENTRY);
  return { imports, source: { kind: "link", path: root } };
}

/**
 * The package folders of a checkout: `packages/*`, `plugins/*` and `aspire`
 * with a `deno.json`.
 *
 * @param root The checkout.
 * @returns Absolute folders, sorted.
 */
export async function linkedPackageDirectories(root: string): Promise<string[]> {
  const directories: string[] = [];
  if (await exists(join(root, "aspire", "deno.json"))) directories.push(join(root, "aspire"));
  for (const group of ["packages", "plugins"]) {
    if (!(await exists(join(root, group)))) continue;
    for await (const entry of Deno.readDir(join(root, group))) {
      const directory = join(root, group, entry.name);
      if (entry.isDirectory && await exists(join(directory, "deno.json"))) {
        directories.push(directory);
      }
    }
  }
  return directories.sort();
}

/**
 * The import map of a checkout's root `deno.json`: how it pins the npm
 * packages its packages import.
 *
 * @param root The checkout.
 * @returns Its entries.
 */
export async function checkoutImports(root: string): Promise<Record<string, string>> {
  return JSON.parse(await Deno.readTextFile(join(root, "deno.json"))).imports ?? {};
}

/**
 * The CLI's own package configuration, as fixed when it was released (see
 * `templates/release.generated.ts`). The framework's packages share its
 * version.
 *
 * @returns The CLI package's name, version and exports.
 */
export function cliPackage(): PackageConfig {
  return CLI_PACKAGE;
}
