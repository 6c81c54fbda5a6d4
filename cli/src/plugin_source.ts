import { join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { pluginSlug } from "@netscript/plugin";
import type { CliErrorCode } from "./cli_error_codes.ts";
import { FRAMEWORK_ROOT, linkedPackageDirectories } from "./framework.ts";
import {
  dependencyImports,
  localPackageImports,
  type PackageConfig,
  readPackageConfig,
} from "./import_map.ts";
import { exists } from "./workspace.ts";

/** Where a plugin comes from and what adding it writes. */
export interface PluginSource {
  /** The plugin's slug (see `pluginSlug`); its folder becomes `plugins/<slug>/`. */
  name: string;
  /** The package the plugin's runtime comes from. */
  package: PackageConfig;
  /** The package's `scaffold/` folder: files copied into `plugins/<name>/`. */
  scaffold: string;
  /** Import map entries for the package and its dependencies. */
  imports: Record<string, string>;
}

/**
 * The first-party plugins this version of the CLI can add by name: the
 * framework's `plugins/*` packages that ship a scaffold.
 *
 * @returns Plugin names and their package folders.
 */
export async function firstPartyPlugins(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const directory of await linkedPackageDirectories(FRAMEWORK_ROOT)) {
    if (!directory.includes(`${FRAMEWORK_ROOT}/plugins/`)) continue;
    if (!(await exists(join(directory, "scaffold", "plugin.ts")))) continue;
    found.set(_slugOf((await readPackageConfig(directory)).name), directory);
  }
  return found;
}

/**
 * Resolves what `plugin add` was given: a path to a plugin package, or the
 * name of a first-party plugin.
 *
 * @param spec A path (`./x`, `/x`, `../x`) or a first-party name.
 * @param options The directory relative paths start from, the checkout to
 * link first-party plugins from, and the framework version for JSR.
 * @returns The plugin source.
 * @throws {NetScriptError} `PLUGIN_UNKNOWN` for an unknown name, or
 * `PLUGIN_PACKAGE_INVALID` for a folder that is not a plugin package.
 */
export async function resolvePluginSource(
  spec: string,
  options: { cwd: string; link?: string | undefined; version: string },
): Promise<PluginSource> {
  const isPath = spec.startsWith(".") || spec.startsWith("/") || spec.includes("/") ||
    spec.includes("\\");
  if (!isPath) {
    const known = await firstPartyPlugins();
    const directory = known.get(spec);
    if (!directory) {
      const available = [...known.keys()].sort();
      throw new NetScriptError<CliErrorCode>(
        "PLUGIN_UNKNOWN",
        `Unknown plugin "${spec}": first-party plugins available in this version: ${
          available.length === 0 ? "none yet" : available.join(", ")
        }; to add a plugin package from disk, pass its path (e.g. ./path/to/plugin)`,
        { details: { plugin: spec, available } },
      );
    }
    return await _fromDirectory(
      directory,
      options.link === undefined ? options.version : undefined,
    );
  }
  return await _fromDirectory(resolve(options.cwd, spec), undefined);
}

async function _fromDirectory(
  directory: string,
  jsrVersion: string | undefined,
): Promise<PluginSource> {
  if (!(await exists(directory))) {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_PACKAGE_INVALID",
      `${directory} does not exist; pass the folder of a plugin package`,
      { details: { directory } },
    );
  }
  if (!(await exists(join(directory, "scaffold", "plugin.ts")))) {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_PACKAGE_INVALID",
      `${directory} is not a NetScript plugin package: it has no scaffold/plugin.ts; a plugin package holds a deno.json and a scaffold/ folder with the plugin.ts and entrypoints to copy into the workspace`,
      { details: { directory } },
    );
  }
  const config = await readPackageConfig(directory);
  const imports = jsrVersion === undefined
    ? {
      ...localPackageImports(directory, config),
      ...await dependencyImports(
        [directory],
        JSON.parse(await Deno.readTextFile(join(FRAMEWORK_ROOT, "deno.json"))).imports ?? {},
      ),
    }
    : { [config.name]: `jsr:${config.name}@^${config.version}` };
  return {
    name: _slugOf(config.name),
    package: config,
    scaffold: join(directory, "scaffold"),
    imports,
  };
}

/** The slug a plugin package stands for, or a clear error for a package named otherwise. */
function _slugOf(packageName: string): string {
  try {
    return pluginSlug(packageName);
  } catch (error) {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_PACKAGE_INVALID",
      `Package ${JSON.stringify(packageName)} is not named like a plugin: ${
        (error as Error).message
      }`,
      { details: { package: packageName } },
    );
  }
}
