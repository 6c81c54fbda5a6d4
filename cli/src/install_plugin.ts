import { dirname, join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";
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
 * import map and to `netscript.config.ts`. The caller regenerates the
 * registry, and rolls back when that fails.
 *
 * @param root The workspace root.
 * @param source The plugin to add.
 * @returns The files written (relative to the root) and how to undo them.
 * @throws {NetScriptError} `PLUGIN_ALREADY_ADDED`.
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
  const restore = await snapshotWorkspaceFiles(root);
  const staging = join(
    root,
    "plugins",
    `.${source.name}.adding-${crypto.randomUUID().slice(0, 8)}`,
  );
  const rollback: Rollback = async () => {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.remove(folder, { recursive: true }).catch(() => {});
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
    const deno = await readDenoConfig(root);
    deno.imports = { ...deno.imports, ...source.imports };
    await Deno.writeTextFile(join(root, "deno.json"), renderDenoConfig(deno));
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
