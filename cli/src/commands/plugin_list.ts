import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts/errors";
import { type InstalledPlugin, PLUGIN_TYPES } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandSpec } from "../command.ts";
import { loadWorkspaceRegistry } from "../registry/load_manifests.ts";
import { CONFIG_FILE, findWorkspaceRoot } from "../workspace.ts";
import { readInstalledPlugins } from "../workspace_files.ts";

/** `netscript plugin list`. */
export const pluginListCommand: CommandSpec = {
  path: ["plugin", "list"],
  summary: "List the workspace's plugins",
  description:
    "Reads every plugins/*/plugin.ts and shows each plugin, grouped by type (service, background-processor, library): its version, services (with ports), background processors, the definitions folders and config topics it reads, and the package it came from (local for plugins written in the workspace).",
  args: [],
  flags: {},
  examples: [
    { command: "netscript plugin list", description: "A table of the plugins" },
    { command: "netscript plugin list --json", description: "The same, as JSON for scripts" },
  ],
  async run({ cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const registry = await output.progress(
      "reading the plugins",
      () => loadWorkspaceRegistry(root),
    );
    const installed = _installedOrNone(await Deno.readTextFile(join(root, CONFIG_FILE)));
    const plugins = [...registry.plugins].sort((a, b) =>
      PLUGIN_TYPES.indexOf(a.type) - PLUGIN_TYPES.indexOf(b.type)
    ).map((plugin) => ({
      name: plugin.name,
      version: plugin.version,
      type: plugin.type,
      directory: plugin.directory,
      package: installed.find((p) => p.name === plugin.slug)?.package ?? null,
      services: registry.services.filter((s) => s.plugin === plugin.name).map((s) => ({
        name: s.name,
        port: s.port,
      })),
      processors: registry.processors.filter((p) => p.plugin === plugin.name).map((p) => p.name),
      definitions: registry.definitions.filter((d) => d.plugin === plugin.name).map((d) =>
        `${d.folder}/`
      ),
      configTopics: registry.runtimeConfigTopics.filter((t) => t.plugin === plugin.name).map((t) =>
        t.name
      ),
    }));
    output.result(plugins);
    if (plugins.length === 0) {
      output.line("No plugins yet. Add one with netscript plugin add <name|path>.");
      return 0;
    }
    output.table(
      ["TYPE", "NAME", "VERSION", "SERVICES", "PROCESSORS", "DEFINITIONS", "CONFIG", "SOURCE"],
      plugins.map((p) => [
        p.type,
        p.name,
        p.version,
        p.services.map((s) => `${s.name}:${s.port}`).join(", ") || "-",
        p.processors.join(", ") || "-",
        p.definitions.join(", ") || "-",
        p.configTopics.join(", ") || "-",
        p.package ?? "local",
      ]),
    );
    return 0;
  },
};

/** The installed plugins, or none when the config's plugins list is not a literal. */
function _installedOrNone(source: string): InstalledPlugin[] {
  try {
    return readInstalledPlugins(source);
  } catch (error) {
    if (isNetScriptError<CliErrorCode>(error, "CONFIG_UNEDITABLE")) return [];
    throw error;
  }
}
