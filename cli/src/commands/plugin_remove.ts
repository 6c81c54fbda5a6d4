import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandSpec } from "../command.ts";
import { snapshotWorkspaceFiles } from "../install_plugin.ts";
import {
  importsWithout,
  PLUGIN_IMPORTS_FOLDER,
  type PluginImportsRecord,
  readPluginImports,
} from "../plugin_imports.ts";
import { pluginSlug } from "@netscript/plugin";
import { NO_ASPIRE_FLAG, regenerateAppHost } from "../aspire/generate_app_host.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { CONFIG_FILE, exists, findWorkspaceRoot } from "../workspace.ts";
import {
  readDenoConfig,
  readInstalledPlugins,
  renderDenoConfig,
  writeInstalledPlugins,
} from "../workspace_files.ts";

/** `netscript plugin remove <name>`. */
export const pluginRemoveCommand: CommandSpec = {
  path: ["plugin", "remove"],
  summary: "Remove a plugin from the workspace",
  description:
    "Deletes plugins/<name>/, drops the plugin from netscript.config.ts and takes out of the import map exactly the entries plugin add put in (unless another plugin needs them), then regenerates the registry. If any step fails, nothing is changed.",
  args: [{ name: "name", description: "The plugin's name (its folder under plugins/)" }],
  flags: { "no-aspire": NO_ASPIRE_FLAG },
  examples: [{
    command: "netscript plugin remove billing",
    description: "Remove the billing plugin",
  }],
  async run({ args, flags, cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const name = _folderName(args[0]!);
    const folder = join(root, "plugins", name);
    const configText = await Deno.readTextFile(join(root, CONFIG_FILE));
    const installed = readInstalledPlugins(configText);
    const entry = installed.find((p) => p.name === name);
    if (!entry && !(await exists(folder))) {
      throw new NetScriptError<CliErrorCode>(
        "PLUGIN_NOT_FOUND",
        `No plugin "${name}" in this workspace (no plugins/${name} and no entry in ${CONFIG_FILE}); netscript plugin list shows the plugins`,
        { details: { plugin: name } },
      );
    }
    const restore = await snapshotWorkspaceFiles(root);
    const parked = join(root, "plugins", `.${name}.removing-${crypto.randomUUID().slice(0, 8)}`);
    const hadFolder = await exists(folder);
    if (hadFolder) await Deno.rename(folder, parked);
    try {
      const remaining = installed.filter((p) => p.name !== name);
      await Deno.writeTextFile(
        join(root, CONFIG_FILE),
        writeInstalledPlugins(configText, remaining),
      );
      const others: PluginImportsRecord[] = [];
      for (const plugin of remaining) {
        const record = await readPluginImports(root, plugin.name);
        if (record !== undefined) others.push(record);
      }
      const deno = await readDenoConfig(root);
      deno.imports = importsWithout(deno.imports ?? {}, {
        record: await readPluginImports(root, name),
        packageName: entry && !remaining.some((p) => p.package === entry.package)
          ? entry.package
          : undefined,
      }, others);
      await Deno.writeTextFile(join(root, "deno.json"), renderDenoConfig(deno));
      const { registry } = await output.progress(
        "regenerating the registry",
        () => generateRegistry(root, { check: false }),
      );
      await output.progress(
        "regenerating the Aspire AppHost",
        () => regenerateAppHost(root, { registry, skip: flags["no-aspire"] === true }),
      );
    } catch (error) {
      await restore();
      if (hadFolder) await Deno.rename(parked, folder);
      throw error;
    }
    if (hadFolder) await Deno.remove(parked, { recursive: true });
    await Deno.remove(join(root, PLUGIN_IMPORTS_FOLDER, `${name}.json`)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
    output.result({ ok: true, plugin: name, package: entry?.package ?? null });
    output.line(`${output.colors.green("✓")} Removed plugin ${output.colors.bold(name)}`);
    return 0;
  },
};

/** A plugin's folder name, refused when it is anything else (a path, a scoped name). */
function _folderName(name: string): string {
  let slug: string | undefined;
  try {
    slug = pluginSlug(name);
  } catch {
    slug = undefined;
  }
  if (slug === name) return name;
  throw new NetScriptError<CliErrorCode>(
    "PLUGIN_NAME_INVALID",
    `Cannot remove plugin ${
      JSON.stringify(name)
    }: a plugin is removed by its folder name under plugins/ (lowercase letters, digits and dashes, starting with a letter); netscript plugin list shows the names`,
    { details: { plugin: name } },
  );
}
