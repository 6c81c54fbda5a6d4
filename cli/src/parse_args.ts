import { parseArgs } from "node:util";
import { type CommandInput, type CommandSpec, COMMON_FLAGS, UsageError } from "./command.ts";

/** A command line resolved to its command, arguments and flags. */
export interface ParsedCommandLine {
  /** The selected command. */
  command: CommandSpec;
  /** Positional arguments after the command words. */
  args: string[];
  /** Flag values with defaults applied. */
  flags: CommandInput["flags"];
}

/**
 * Finds the command the arguments name (the longest matching path) and parses
 * its flags strictly with `node:util` `parseArgs`: unknown flags, missing
 * values, values outside `choices` and wrong argument counts are usage errors.
 *
 * @param commands Every command.
 * @param argv The arguments after `netscript`.
 * @returns The parsed command line.
 * @throws {UsageError} When the arguments do not fit a command.
 */
export function parseCommandLine(
  commands: readonly CommandSpec[],
  argv: readonly string[],
): ParsedCommandLine {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  const command = [...commands]
    .sort((a, b) => b.path.length - a.path.length)
    .find((candidate) => candidate.path.every((word, index) => words[index] === word));
  if (!command) {
    const given = words.slice(0, 2).join(" ");
    throw new UsageError(
      given === ""
        ? "No command given"
        : `Unknown command "${given}"; run netscript --help for the list`,
    );
  }
  const flags = { ...COMMON_FLAGS, ...command.flags };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        Object.entries(flags).map(([name, spec]) => [
          name,
          name === "help" ? { type: spec.type, short: "h" } : { type: spec.type },
        ]),
      ),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ""), command);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(flags)) {
    const value = parsed.values[name] ?? spec.default;
    if (Array.isArray(value)) throw new UsageError(`--${name} may be given once`, command);
    if (spec.choices && typeof value === "string" && !spec.choices.includes(value)) {
      throw new UsageError(
        `Invalid value "${value}" for --${name}; allowed values: ${spec.choices.join(", ")}`,
        command,
      );
    }
    values[name] = value as string | boolean | undefined;
  }
  const args = parsed.positionals.slice(command.path.length);
  if (!values.help && args.length !== command.args.length) {
    const expected = command.args.map((a) => `<${a.name}>`).join(" ");
    throw new UsageError(
      `netscript ${command.path.join(" ")} takes ${
        command.args.length === 0 ? "no arguments" : expected
      }; got ${args.length === 0 ? "none" : args.map((a) => `"${a}"`).join(" ")}`,
      command,
    );
  }
  return { command, args, flags: values };
}
