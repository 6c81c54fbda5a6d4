import { APPHOST_DIR, generateAppHost } from "../aspire/generate_app_host.ts";
import type { CommandSpec } from "../command.ts";
import { findWorkspaceRoot } from "../workspace.ts";

/** `netscript aspire generate [--check]`. */
export const aspireGenerateCommand: CommandSpec = {
  path: ["aspire", "generate"],
  summary: "Generate the Aspire AppHost under aspire/",
  description:
    "Builds the resource graph from netscript.config.ts and the plugins' manifests, runs each plugin's Aspire contribution, and writes aspire/apphost.mts (Postgres, MySQL or SQL Server and Redis or Garnet as containers; every service and background processor as a deno run with its permission flags, health check and OTLP/HTTP telemetry), aspire/aspire.config.json (pinned Aspire version; dashboard on :18888 with both OTLP endpoints), package.json, tsconfig.apphost.json and .gitignore. init and plugin add run it for you. Then: cd aspire && aspire start. With --check nothing is written and the command fails when the files are out of date, for CI.",
  args: [],
  flags: {
    check: {
      type: "boolean",
      description: "Write nothing; fail when the AppHost files are out of date",
      default: false,
    },
  },
  examples: [
    { command: "netscript aspire generate", description: "Regenerate after editing a plugin" },
    {
      command: "netscript aspire generate --check",
      description: "Fail in CI when the AppHost is out of date",
    },
  ],
  async run({ flags, cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const check = flags.check === true;
    const result = await output.progress(
      check ? "checking the AppHost" : "generating the AppHost",
      () => generateAppHost(root, { check }),
    );
    output.result({ ok: true, check, files: result.files, changed: result.changed });
    const { green, dim, cyan } = output.colors;
    if (check) {
      output.line(`${green("✓")} The Aspire AppHost is up to date`);
      return 0;
    }
    output.line(`${green("✓")} Aspire AppHost generated in ${APPHOST_DIR}/`);
    output.line(
      dim(result.changed.length === 0 ? "  no changes" : `  wrote ${result.changed.join(", ")}`),
    );
    output.line(`  run it: ${cyan(`cd ${APPHOST_DIR} && aspire start`)}`);
    return 0;
  },
};
