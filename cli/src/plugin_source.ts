import { join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { pluginSlug } from "@netscript/plugin";
import type { CliErrorCode } from "./cli_error_codes.ts";
import { checkoutImports, linkedPackageDirectories } from "./framework.ts";
import {
  dependencyImports,
  localPackageImports,
  type PackageConfig,
  readPackageConfig,
} from "./import_map.ts";
import { FIRST_PARTY_PLUGINS, NPM_IMPORTS } from "./templates/release.generated.ts";
import { readFileTree } from "./templates.ts";
import { exists } from "./workspace.ts";

/** Where a plugin comes from and what adding it writes. */
export interface PluginSource {
  /** The plugin's slug (see `pluginSlug`); its folder becomes `plugins/<slug>/`. */
  name: string;
  /** The package the plugin's runtime comes from. */
  package: PackageConfig;
  /** The files copied into `plugins/<name>/`, by relative path. */
  scaffold: Readonly<Record<string, string>>;
  /** Import map entries for the package and its dependencies. */
  imports: Record<string, string>;
}

/** A first-party plugin this release of the CLI adds by name, from JSR. */
export interface FirstPartyPlugin extends PackageConfig {
  /** Loads the scaffold the plugin's package exports as `./scaffold`. */
  scaffold: () => Promise<Readonly<Record<string, string>>>;
}

/**
 * The first-party plugins that can be added by name: with `link`, the
 * checkout's `plugins/*` packages that hold a `scaffold/` folder; otherwise
 * those this release of the CLI was published with.
 *
 * @param link The checkout a workspace links, if any.
 * @returns The plugin names, sorted.
 */
export async function firstPartyPluginNames(link?: string): Promise<string[]> {
  if (link === undefined) return Object.keys(FIRST_PARTY_PLUGINS).sort();
  return [...(await _checkoutPlugins(link)).keys()].sort();
}

/**
 * Resolves what `plugin add` was given: a path to a plugin package, or the
 * name of a first-party plugin. A first-party plugin comes from the linked
 * checkout's folder with `link`, and otherwise from JSR, its scaffold from
 * its package's `./scaffold` module. The npm packages a plugin from disk
 * imports are pinned as the linked checkout pins them, or as this release
 * does.
 *
 * @param spec A path (`./x`, `/x`, `../x`) or a first-party name.
 * @param options The directory relative paths start from, and the checkout a
 * workspace links, if any.
 * @returns The plugin source.
 * @throws {NetScriptError} `PLUGIN_UNKNOWN` for an unknown name, or
 * `PLUGIN_PACKAGE_INVALID` for a folder that is not a plugin package.
 */
export async function resolvePluginSource(
  spec: string,
  options: { cwd: string; link?: string | undefined },
): Promise<PluginSource> {
  const isPath = spec.startsWith(".") || spec.startsWith("/") || spec.includes("/") ||
    spec.includes("\\");
  const pins = options.link === undefined ? NPM_IMPORTS : await checkoutImports(options.link);
  if (isPath) return await _fromDirectory(resolve(options.cwd, spec), pins);
  if (options.link !== undefined) {
    const directory = (await _checkoutPlugins(options.link)).get(spec);
    if (directory !== undefined) return await _fromDirectory(directory, pins);
  } else if (Object.hasOwn(FIRST_PARTY_PLUGINS, spec)) {
    const { scaffold, ...config } = FIRST_PARTY_PLUGINS[spec]!;
    return {
      name: spec,
      package: config,
      scaffold: await scaffold(),
      imports: { [config.name]: `jsr:${config.name}@^${config.version}` },
    };
  }
  const available = await firstPartyPluginNames(options.link);
  throw new NetScriptError<CliErrorCode>(
    "PLUGIN_UNKNOWN",
    `Unknown plugin "${spec}": first-party plugins available in this version: ${
      available.length === 0 ? "none yet" : available.join(", ")
    }; to add a plugin package from disk, pass its path (e.g. ./path/to/plugin)`,
    { details: { plugin: spec, available } },
  );
}

/** The checkout's first-party plugins: name → package folder. */
async function _checkoutPlugins(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const directory of await linkedPackageDirectories(root)) {
    if (!directory.startsWith(join(root, "plugins/"))) continue;
    if (!(await exists(join(directory, "scaffold", "plugin.ts")))) continue;
    found.set(_slugOf((await readPackageConfig(directory)).name), directory);
  }
  return found;
}

async function _fromDirectory(
  directory: string,
  pins: Readonly<Record<string, string>>,
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
  return {
    name: _slugOf(config.name),
    package: config,
    scaffold: await readFileTree(join(directory, "scaffold")),
    imports: {
      ...localPackageImports(directory, config),
      ...await dependencyImports([directory], pins),
    },
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
