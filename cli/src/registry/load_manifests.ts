import { join } from "node:path";
import { pathToFileURL as toFileUrl } from "node:url";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  composeRegistry,
  type PluginManifest,
  type Registry,
  validateManifest,
} from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { runWorkspaceScript } from "../workspace_script.ts";

/** A plugin manifest read from a workspace, in its JSON form (no loader functions). */
export interface LoadedManifest {
  /** The manifest file, relative to the workspace root. */
  file: string;
  /** The validated manifest data. */
  manifest: PluginManifest;
}

/**
 * Lists `plugins/<dir>/plugin.ts` files, sorted.
 *
 * @param root The workspace root.
 * @returns The files, relative to the root.
 */
export async function findManifestFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, "plugins"))) {
      if (!entry.isDirectory || entry.name.startsWith(".")) continue;
      const file = `plugins/${entry.name}/plugin.ts`;
      try {
        if ((await Deno.stat(join(root, file))).isFile) files.push(file);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files.sort();
}

/**
 * The program run in the workspace to import each `plugin.ts` and report
 * its default export. `_loader` puts a `modules` map in front of it that
 * imports each file through a string literal, so Deno resolves every npm
 * package the plugins need before the program starts: npm packages first
 * met in a later import can miss their peer-dependency copies in Deno's
 * cache, which breaks a workspace whose framework packages come from JSR.
 */
const LOADER = `
const [out, root, ...files] = Deno.args;
const { isPluginManifest } = await import("@netscript/plugin");
const results = [];
for (const file of files) {
  try {
    const module = await modules.get(file)();
    if (!isPluginManifest(module.default)) {
      results.push({ file, problem: "not-a-manifest" });
      continue;
    }
    const unresolved = [];
    for (const { version, loader } of module.default.contractVersions) {
      try {
        const contract = await loader();
        if (contract === undefined || contract === null) throw new Error("the loader returned nothing");
      } catch (error) {
        unresolved.push({ version, message: String(error?.message ?? error).split("\\n")[0] });
      }
    }
    results.push(unresolved.length === 0
      ? { file, manifest: JSON.parse(JSON.stringify(module.default)) }
      : { file, problem: "contract-unresolved", plugin: module.default.name, unresolved });
  } catch (error) {
    results.push({
      file,
      problem: "load-failed",
      message: String(error?.message ?? error),
      stack: String(error?.stack ?? error),
      code: typeof error?.code === "string" && typeof error?.details === "object"
        ? error.code
        : undefined,
      details: error?.details,
    });
  }
}
await Deno.writeTextFile(out, JSON.stringify(results));
`;

type LoaderResult =
  | { file: string; manifest: unknown }
  | { file: string; problem: "not-a-manifest" }
  | {
    file: string;
    problem: "contract-unresolved";
    plugin: string;
    unresolved: { version: string; message: string }[];
  }
  | {
    file: string;
    problem: "load-failed";
    message: string;
    stack: string;
    code?: string;
    details?: Record<string, unknown>;
  };

/**
 * Imports each manifest file, and each contract version it declares, in a Deno subprocess that runs with the
 * workspace's configuration, so the workspace's import map and versions
 * apply, then validates what each default-exports.
 *
 * @param root The workspace root.
 * @param files The manifest files, relative to the root.
 * @returns The manifests, in the order of `files`.
 * @throws {NetScriptError} `PLUGIN_LOAD_FAILED`, `PLUGIN_NOT_A_MANIFEST`,
 * `PLUGIN_CONTRACT_UNRESOLVED` (a contract version's loader fails),
 * `PLUGIN_INVALID_MANIFEST` (or the code a plugin module threw), naming the file.
 */
export async function loadManifests(
  root: string,
  files: readonly string[],
): Promise<LoadedManifest[]> {
  if (files.length === 0) return [];
  const results = await runWorkspaceScript(root, _loader(root, files), files, {
    code: "PLUGIN_LOAD_FAILED",
    doing: "load the workspace's plugins",
  }) as LoaderResult[];
  return results.map((result) => _validate(result));
}

function _loader(root: string, files: readonly string[]): string {
  const entries = files.map((file) =>
    `  [${JSON.stringify(file)}, () => import(${
      JSON.stringify(toFileUrl(join(root, file)).href)
    })],`
  );
  return `const modules = new Map([\n${entries.join("\n")}\n]);\n${LOADER}`;
}

function _validate(result: LoaderResult): LoadedManifest {
  if ("manifest" in result) {
    return {
      file: result.file,
      manifest: validateManifest(result.manifest, { loaders: false, file: result.file }),
    };
  }
  if (result.problem === "not-a-manifest") {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_NOT_A_MANIFEST",
      `${result.file} does not default-export a plugin manifest; end it with export default definePlugin(…).build()`,
      { details: { file: result.file } },
    );
  }
  if (result.problem === "contract-unresolved") {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_CONTRACT_UNRESOLVED",
      `Plugin "${result.plugin}" (${result.file}) declares contract ${
        result.unresolved.map(({ version, message }) =>
          `${version}, whose loader fails: ${message}`
        )
          .join("; ")
      }; fix the import in its withContractVersions() loader`,
      { details: { file: result.file, plugin: result.plugin, unresolved: result.unresolved } },
    );
  }
  if (result.code !== undefined) {
    // A NetScriptError the plugin module threw while it loaded (in practice
    // build()'s PLUGIN_INVALID_MANIFEST, but any code): relayed with its own code.
    throw new NetScriptError<string>(result.code, `${result.file}: ${result.message}`, {
      details: { ...result.details, file: result.file },
    });
  }
  throw new NetScriptError<CliErrorCode>(
    "PLUGIN_LOAD_FAILED",
    `Cannot import ${result.file}: ${result.message.split("\n")[0]}`,
    { details: { file: result.file, error: result.stack } },
  );
}

/**
 * Loads every `plugins/*\/plugin.ts` of a workspace and composes them, as
 * registry generation does, without writing anything.
 *
 * @param root The workspace root.
 * @returns The registry (contract loaders absent).
 * @throws {NetScriptError} From loading and composing, naming the file.
 */
export async function loadWorkspaceRegistry(root: string): Promise<Registry> {
  return composeRegistry(await loadManifests(root, await findManifestFiles(root)));
}
