import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandSpec } from "../command.ts";
import { snapshotWorkspaceFiles } from "../install_plugin.ts";
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
    "Deletes plugins/<name>/, drops the plugin from netscript.config.ts and its package from the import map (unless another plugin uses it), then regenerates the registry. If any step fails, nothing is changed.",
  args: [{ name: "name", description: "The plugin's name (its folder under plugins/)" }],
  flags: { "no-aspire": NO_ASPIRE_FLAG },
  examples: [{
    command: "netscript plugin remove billing",
    description: "Remove the billing plugin",
  }],
  async run({ args, flags, cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const name = args[0]!;
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
      if (entry && !remaining.some((p) => p.package === entry.package)) {
        const deno = await readDenoConfig(root);
        deno.imports = Object.fromEntries(
          Object.entries(deno.imports ?? {}).filter(([key]) =>
            key !== entry.package && !key.startsWith(`${entry.package}/`)
          ),
        );
        await Deno.writeTextFile(join(root, "deno.json"), renderDenoConfig(deno));
      }
      const { registry } = await output.progress(
        "regenerating the registry",
        () => generateRegistry(root, { check: false }),
      );
      await output.progress(
        "regenerating the Aspire AppHost",
        () => regenerateAppHost(root, registry, flags["no-aspire"] === true),
      );
    } catch (error) {
      await restore();
      if (hadFolder) await Deno.rename(parked, folder);
      throw error;
    }
    if (hadFolder) await Deno.remove(parked, { recursive: true });
    output.result({ ok: true, plugin: name, package: entry?.package ?? null });
    output.line(`${output.colors.green("✓")} Removed plugin ${output.colors.bold(name)}`);
    return 0;
  },
};
