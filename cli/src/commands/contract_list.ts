import type { CommandSpec } from "../command.ts";
import { loadWorkspaceRegistry } from "../registry/load_manifests.ts";
import { findWorkspaceRoot } from "../workspace.ts";

/** `netscript contract list`. */
export const contractListCommand: CommandSpec = {
  path: ["contract", "list"],
  summary: "List every plugin's contract versions",
  description:
    "Reads every plugins/*/plugin.ts, loads each contract version it declares with withContractVersions() (so a version whose module does not import fails here, naming the plugin), and lists them by plugin.",
  args: [],
  flags: {},
  examples: [
    { command: "netscript contract list", description: "A table of plugins and their versions" },
    { command: "netscript contract list --json", description: "The same, as JSON" },
  ],
  async run({ cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const registry = await output.progress(
      "loading the plugins and their contracts",
      () => loadWorkspaceRegistry(root),
    );
    const files = new Map(registry.plugins.map((p) => [p.name, p.file]));
    const contracts = registry.contractVersions.map(({ plugin, version }) => ({
      plugin,
      version,
      file: files.get(plugin)!,
    })).sort((a, b) =>
      a.plugin.localeCompare(b.plugin) || Number(a.version.slice(1)) - Number(b.version.slice(1))
    );
    output.result(contracts);
    if (contracts.length === 0) {
      output.line("No plugin declares a contract version (withContractVersions).");
      return 0;
    }
    output.table(
      ["PLUGIN", "VERSION", "MANIFEST"],
      contracts.map((c) => [c.plugin, c.version, c.file]),
    );
    return 0;
  },
};
