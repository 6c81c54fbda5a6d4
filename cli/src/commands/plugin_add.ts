import { assertPermissionsGranted, renderPermissionFlags } from "@netscript/plugin";
import type { CommandSpec } from "../command.ts";
import { readWorkspaceConfig } from "../dev/workspace_config.ts";
import { installPlugin } from "../install_plugin.ts";
import { resolvePluginSource } from "../plugin_source.ts";
import { NO_ASPIRE_FLAG, regenerateAppHost } from "../aspire/generate_app_host.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { findWorkspaceRoot } from "../workspace.ts";
import { readDenoConfig } from "../workspace_files.ts";

/** `netscript plugin add <name|path>`. */
export const pluginAddCommand: CommandSpec = {
  path: ["plugin", "add"],
  summary: "Add a plugin to the workspace",
  description:
    "Copies the plugin's scaffold (its plugin.ts and thin entrypoint files that import the runtime from the plugin's package) into plugins/<name>/, adds the package to the import map and to netscript.config.ts, then regenerates the registry and, when the workspace uses Aspire, the AppHost in aspire/, and prints the permissions each of its resources asks for. A plugin that asks for what a manifest cannot grant itself (run, ffi, sys; all of the network, the environment or the files; a path outside the workspace) is refused unless netscript.config.ts grants it. If any step fails, nothing is changed.",
  args: [{
    name: "plugin",
    description: "A first-party plugin name, or the path of a plugin package folder",
  }],
  flags: { "no-aspire": NO_ASPIRE_FLAG },
  examples: [
    {
      command: "netscript plugin add ../my-plugins/billing",
      description: "Add a plugin package from disk",
    },
    { command: "netscript plugin add workers", description: "Add a first-party plugin by name" },
  ],
  async run({ args, flags, cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const link = _linkedCheckout(await readDenoConfig(root));
    const source = await resolvePluginSource(args[0]!, { cwd, link });
    const { files, rollback } = await installPlugin(root, source);
    const registry = await output.progress("regenerating the registry", async () => {
      try {
        return await generateRegistry(root, { check: false });
      } catch (error) {
        await rollback();
        throw error;
      }
    });
    let appHost: string[];
    try {
      const config = await readWorkspaceConfig(root);
      assertPermissionsGranted(registry.registry, config.permissions);
      appHost = await output.progress(
        "regenerating the Aspire AppHost",
        () =>
          regenerateAppHost(root, {
            registry: registry.registry,
            skip: flags["no-aspire"] === true,
            config,
          }),
      );
    } catch (error) {
      await rollback();
      await generateRegistry(root, { check: false });
      throw error;
    }
    for (const warning of registry.missing) output.warn(warning);
    const manifest = registry.registry.plugins.find((p) => p.slug === source.name)!;
    output.result({
      ok: true,
      plugin: source.name,
      package: source.package.name,
      version: source.package.version,
      files,
      services: registry.registry.services.filter((s) => s.plugin === manifest.name),
      processors: registry.registry.processors.filter((p) => p.plugin === manifest.name),
      warnings: registry.missing,
      aspire: appHost,
    });
    output.line(
      `${output.colors.green("✓")} Added plugin ${
        output.colors.bold(source.name)
      } ${manifest.version} from ${source.package.name}`,
    );
    for (const file of files) output.line(output.colors.dim(`  ${file}`));
    const resources = [...registry.registry.services, ...registry.registry.processors]
      .filter((resource) => resource.plugin === manifest.name);
    for (const resource of resources) {
      const flags = renderPermissionFlags(resource.permissions);
      output.line(
        `  ${resource.name} asks for ${flags.length === 0 ? "no permissions" : flags.join(" ")}`,
      );
    }
    return 0;
  },
};

/** The framework checkout a linked workspace uses, read from its import map. */
function _linkedCheckout(config: { imports?: Record<string, string> }): string | undefined {
  const target = config.imports?.["@netscript/plugin"];
  if (target === undefined || target.startsWith("jsr:")) return undefined;
  return target.replace(/\/packages\/plugin\/mod\.ts$/, "");
}
