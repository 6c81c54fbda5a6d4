import type { CommandSpec } from "../command.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { findWorkspaceRoot } from "../workspace.ts";

/** `netscript registry generate [--check]`. */
export const registryGenerateCommand: CommandSpec = {
  path: ["registry", "generate"],
  summary: "Generate the static plugin registry under .netscript/",
  description:
    "Scans plugins/*/plugin.ts, validates each manifest and loads each contract version it declares, composes them (rejecting conflicts such as two plugins claiming one port or one definitions folder) and writes .netscript/registry.json and, for every plugin, .netscript/definitions/<slug>.ts: the plugin's names, telemetry and topic schemas, and a static import of every file under the definitions folders it reads (e.g. jobs/), which its processes import. On any error nothing under .netscript/ changes. With --check nothing is written and the command fails when the files are out of date, for CI.",
  args: [],
  flags: {
    check: {
      type: "boolean",
      description: "Write nothing; fail when the generated files are out of date",
      default: false,
    },
  },
  examples: [
    {
      command: "netscript registry generate",
      description: "Regenerate after editing a plugin.ts or adding a definition file",
    },
    {
      command: "netscript registry generate --check",
      description: "Fail in CI when someone forgot to regenerate",
    },
  ],
  async run({ flags, cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const check = flags.check === true;
    const result = await output.progress(
      check ? "checking the registry" : "generating the registry",
      () => generateRegistry(root, { check }),
    );
    const plugins = result.registry.plugins.map((p) => p.name);
    for (const warning of result.missing) output.warn(warning);
    output.result({
      ok: true,
      check,
      plugins,
      files: result.files,
      changed: result.changed,
      removed: result.removed,
      warnings: result.missing,
    });
    const { green, dim } = output.colors;
    if (check) {
      output.line(
        `${green("✓")} The registry is up to date (${plugins.length} plugin${
          plugins.length === 1 ? "" : "s"
        })`,
      );
    } else {
      output.line(
        `${green("✓")} Registry generated: ${plugins.length} plugin${
          plugins.length === 1 ? "" : "s"
        }${plugins.length > 0 ? ` (${plugins.join(", ")})` : ""}`,
      );
      if (result.changed.length > 0) output.line(dim(`  wrote ${result.changed.join(", ")}`));
      if (result.removed.length > 0) output.line(dim(`  removed ${result.removed.join(", ")}`));
      if (result.changed.length + result.removed.length === 0) output.line(dim("  no changes"));
    }
    return 0;
  },
};
