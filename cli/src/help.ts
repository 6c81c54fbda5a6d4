import { type CommandSpec, COMMON_FLAGS, type FlagSpec } from "./command.ts";
import type { Colors } from "./colors.ts";

function _flagLabel(name: string, spec: FlagSpec): string {
  const short = name === "help" ? "-h, " : "";
  return spec.type === "string"
    ? `${short}--${name} <${spec.placeholder ?? name}>`
    : `${short}--${name}`;
}

function _flagDetail(spec: FlagSpec): string {
  const extras = [
    spec.choices ? `one of: ${spec.choices.join(", ")}` : "",
    typeof spec.default === "string" ? `default: ${spec.default}` : "",
  ].filter(Boolean);
  return extras.length > 0 ? `${spec.description} (${extras.join("; ")})` : spec.description;
}

/**
 * Renders `netscript <command> --help`.
 *
 * @param command The command.
 * @param colors Styling.
 * @returns The help text.
 */
export function renderCommandHelp(command: CommandSpec, colors: Colors): string {
  const usage = [
    "netscript",
    ...command.path,
    ...command.args.map((a) => `<${a.name}>`),
    "[flags]",
  ].join(" ");
  const flags = Object.entries({ ...command.flags, ...COMMON_FLAGS });
  const width = Math.max(...flags.map(([name, spec]) => _flagLabel(name, spec).length), 10);
  const lines = [
    `${colors.bold("Usage:")} ${usage}`,
    "",
    command.summary,
    "",
    command.description,
    "",
  ];
  if (command.args.length > 0) {
    lines.push(colors.bold("Arguments:"));
    for (const arg of command.args) {
      lines.push(`  ${`<${arg.name}>`.padEnd(width)}  ${arg.description}`);
    }
    lines.push("");
  }
  lines.push(colors.bold("Flags:"));
  for (const [name, spec] of flags) {
    lines.push(`  ${_flagLabel(name, spec).padEnd(width)}  ${_flagDetail(spec)}`);
  }
  lines.push("", colors.bold("Examples:"));
  for (const example of command.examples) {
    lines.push(`  ${colors.cyan(example.command)}`, `      ${example.description}`);
  }
  return lines.join("\n");
}

/**
 * Renders `netscript --help`: every command with its summary.
 *
 * @param commands Every command.
 * @param version The CLI version.
 * @param colors Styling.
 * @returns The help text.
 */
export function renderOverview(
  commands: readonly CommandSpec[],
  version: string,
  colors: Colors,
): string {
  const names = commands.map((c) => c.path.join(" "));
  const width = Math.max(...names.map((n) => n.length));
  return [
    `${colors.bold("netscript")} ${version}: scaffold and run NetScript workspaces`,
    "",
    `${colors.bold("Usage:")} netscript <command> [flags]`,
    "",
    colors.bold("Commands:"),
    ...commands.map((c, i) => `  ${names[i]!.padEnd(width)}  ${c.summary}`),
    "",
    "Run netscript <command> --help for a command's flags and examples.",
    "Exit codes: 0 success, 1 failure, 2 usage error. NO_COLOR turns colour off.",
  ].join("\n");
}

/**
 * Renders the CLI reference page (`docs/reference/cli.md`) from the command
 * definitions, so the page cannot drift from the commands.
 *
 * @param commands Every command.
 * @returns The Markdown.
 */
export function renderReference(commands: readonly CommandSpec[]): string {
  const text = (value: string) => value.replace(/<([\w,-]+)>/g, "`<$1>`");
  const lines = [
    "# CLI reference",
    "",
    "<!-- Generated from the command definitions by `deno task docs:cli`; do not edit. -->",
    "",
    "`netscript <command> [flags]`. Every command accepts `--help` (`-h`) and `--json`",
    "(print the result as one JSON document). Exit codes: `0` success, `1` failure,",
    "`2` usage error. Colour is used on terminals unless `NO_COLOR` is set.",
    "",
  ];
  for (const command of commands) {
    const name = command.path.join(" ");
    lines.push(`## netscript ${name}`, "", command.summary, "", text(command.description), "");
    const usage = ["netscript", ...command.path, ...command.args.map((a) => `<${a.name}>`)];
    lines.push("```sh", `${usage.join(" ")} [flags]`, "```", "");
    if (command.args.length > 0) {
      lines.push("| Argument | Description |", "| --- | --- |");
      for (const arg of command.args) {
        lines.push(`| \`<${arg.name}>\` | ${text(arg.description)} |`);
      }
      lines.push("");
    }
    const flags = Object.entries(command.flags);
    if (flags.length > 0) {
      lines.push("| Flag | Description | Values | Default |", "| --- | --- | --- | --- |");
      for (const [flag, spec] of flags) {
        const label = spec.type === "string"
          ? `--${flag} <${spec.placeholder ?? flag}>`
          : `--${flag}`;
        const values = spec.choices ? spec.choices.map((c) => `\`${c}\``).join(", ") : "";
        const fallback = typeof spec.default === "string" ? `\`${spec.default}\`` : "";
        lines.push(`| \`${label}\` | ${text(spec.description)} | ${values} | ${fallback} |`);
      }
      lines.push("");
    }
    lines.push("Examples:", "");
    for (const example of command.examples) {
      lines.push(`- \`${example.command}\`: ${text(example.description)}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
