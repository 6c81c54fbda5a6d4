import { join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";

/** A package's `deno.json` fields this CLI reads. */
export interface PackageConfig {
  /** The package name, e.g. `@netscript/service`. */
  name: string;
  /** The package version. */
  version: string;
  /** Export targets by subpath (`.` for the main one). */
  exports: Record<string, string>;
}

/**
 * Reads a package's `deno.json`.
 *
 * @param directory The package folder.
 * @returns Its name, version and exports.
 * @throws {NetScriptError} `PACKAGE_INVALID` when the file is missing or incomplete.
 */
export async function readPackageConfig(directory: string): Promise<PackageConfig> {
  const file = join(directory, "deno.json");
  let config: { name?: unknown; version?: unknown; exports?: unknown };
  try {
    config = JSON.parse(await Deno.readTextFile(file));
  } catch (error) {
    throw new NetScriptError<CliErrorCode>(
      "PACKAGE_INVALID",
      `Cannot read ${file}: ${
        (error as Error).message
      }; a package folder needs a deno.json with name, version and exports`,
      { details: { file } },
    );
  }
  if (typeof config.name !== "string" || typeof config.version !== "string" || !config.exports) {
    throw new NetScriptError<CliErrorCode>(
      "PACKAGE_INVALID",
      `${file} must declare "name", "version" and "exports"`,
      { details: { file } },
    );
  }
  const exports = typeof config.exports === "string"
    ? { ".": config.exports }
    : config.exports as Record<string, string>;
  return { name: config.name, version: config.version, exports };
}

/**
 * Import map entries that point a package's name (and each subpath) at its
 * files on disk.
 *
 * @param directory The package folder (absolute).
 * @param config Its configuration.
 * @returns The entries.
 */
export function localPackageImports(
  directory: string,
  config: PackageConfig,
): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(config.exports)) {
    const specifier = subpath === "."
      ? config.name
      : `${config.name}/${subpath.replace(/^\.\//, "")}`;
    entries[specifier] = resolve(directory, target);
  }
  return entries;
}

/**
 * The third-party entries (npm packages) that the `.ts` files of some
 * packages import, looked up in a root import map. A workspace that links
 * those packages needs them in its own import map.
 *
 * @param directories The package folders to scan.
 * @param rootImports The import map that pins their dependencies.
 * @returns The entries the packages use.
 */
export async function dependencyImports(
  directories: readonly string[],
  rootImports: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const used: Record<string, string> = {};
  const keys = Object.keys(rootImports).sort((a, b) => b.length - a.length);
  for (const directory of directories) {
    for (const file of await _sourceFiles(directory)) {
      const source = await Deno.readTextFile(file);
      for (
        const match of source.matchAll(/(?:from|import|resolve|@ts-types=)\s*\(?\s*"([^".][^"]*)"/g)
      ) {
        const specifier = match[1]!;
        const key = keys.find((k) => specifier === k || specifier.startsWith(`${k}/`));
        if (key && !rootImports[key]!.startsWith("./")) used[key] = rootImports[key]!;
      }
    }
  }
  return used;
}

async function _sourceFiles(directory: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    const path = join(directory, entry.name);
    if (entry.isDirectory && entry.name !== "testdata" && entry.name !== "node_modules") {
      files.push(...await _sourceFiles(path));
    } else if (entry.isFile && /\.tsx?$/.test(entry.name) && !entry.name.endsWith("_test.ts")) {
      files.push(path);
    }
  }
  return files;
}

/**
 * Sorts import map entries by specifier, for stable `deno.json` files.
 *
 * @param imports The entries.
 * @returns A new object with sorted keys.
 */
export function sortImports(imports: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(imports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
