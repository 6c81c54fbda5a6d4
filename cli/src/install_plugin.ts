import { dirname, join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";
import { newPluginImports, PLUGIN_IMPORTS_FOLDER, recordPluginImports } from "./plugin_imports.ts";
import type { PluginSource } from "./plugin_source.ts";
import { CONFIG_FILE, exists } from "./workspace.ts";
import {
  readDenoConfig,
  readInstalledPlugins,
  renderDenoConfig,
  writeInstalledPlugins,
} from "./workspace_files.ts";

/** Undoes what a workspace change wrote. */
export type Rollback = () => Promise<void>;

/**
 * Snapshots `deno.json` and `netscript.config.ts` so a failed change can be
 * undone.
 *
 * @param root The workspace root.
 * @returns A function that restores both files.
 */
export async function snapshotWorkspaceFiles(root: string): Promise<Rollback> {
  const files = new Map<string, string>();
  for (const name of ["deno.json", CONFIG_FILE]) {
    files.set(name, await Deno.readTextFile(join(root, name)));
  }
  return async () => {
    for (const [name, text] of files) await Deno.writeTextFile(join(root, name), text);
  };
}

/**
 * Writes a plugin's scaffold into `plugins/<name>/`, adds its package to the
 * import map and to `netscript.config.ts`, and records the import map
 * entries it added under `.netscript/plugins/` for `plugin remove`. An
 * entry the workspace already has is never replaced. The caller
 * regenerates the registry, and rolls back when that fails.
 *
 * @param root The workspace root.
 * @param source The plugin to add.
 * @returns The files written (relative to the root) and how to undo them.
 * @throws {NetScriptError} `PLUGIN_ALREADY_ADDED`; `PLUGIN_IMPORT_CONFLICT`
 * when the plugin needs an entry the workspace maps elsewhere (nothing is
 * written).
 */
export async function installPlugin(
  root: string,
  source: PluginSource,
): Promise<{ files: string[]; rollback: Rollback }> {
  const folder = join(root, "plugins", source.name);
  const configText = await Deno.readTextFile(join(root, CONFIG_FILE));
  const installed = readInstalledPlugins(configText);
  if (await exists(folder) || installed.some((p) => p.name === source.name)) {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_ALREADY_ADDED",
      `Plugin "${source.name}" is already in this workspace (plugins/${source.name}); remove it first with netscript plugin remove ${source.name}`,
      { details: { plugin: source.name } },
    );
  }
  const deno = await readDenoConfig(root);
  const added = newPluginImports(source.name, deno.imports ?? {}, source.imports);
  const restore = await snapshotWorkspaceFiles(root);
  const record = join(root, PLUGIN_IMPORTS_FOLDER, `${source.name}.json`);
  const staging = join(
    root,
    "plugins",
    `.${source.name}.adding-${crypto.randomUUID().slice(0, 8)}`,
  );
  const rollback: Rollback = async () => {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    await Deno.remove(record).catch(() => {});
    await restore();
  };
  try {
    const files: string[] = [];
    for (const path of Object.keys(source.scaffold).sort()) {
      await Deno.mkdir(dirname(join(staging, path)), { recursive: true });
      await Deno.writeTextFile(join(staging, path), source.scaffold[path]!);
      files.push(`plugins/${source.name}/${path}`);
    }
    await Deno.rename(staging, folder);
    deno.imports = { ...deno.imports, ...added };
    await Deno.writeTextFile(join(root, "deno.json"), renderDenoConfig(deno));
    files.push(await recordPluginImports(root, source.name, added));
    await Deno.writeTextFile(
      join(root, CONFIG_FILE),
      writeInstalledPlugins(configText, [
        ...installed,
        { name: source.name, package: source.package.name },
      ]),
    );
    return { files, rollback };
  } catch (error) {
    await rollback();
    throw error;
  }
}
