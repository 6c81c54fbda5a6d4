import { parseArgs } from "node:util";
import { closestMatch, editDistance } from "./closest_match.ts";
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
 * An unknown command or flag names the closest known one when one is close
 * ("did you mean"), by {@linkcode closestMatch}.
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
    if (given === "") throw new UsageError("No command given");
    const suggestion = _closestCommand(commands, words);
    throw new UsageError(
      suggestion === undefined
        ? `Unknown command "${given}"; run netscript --help for the list`
        : `Unknown command "${given}"; did you mean "${suggestion}"?`,
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
    const message = (error as Error).message.replace(/\. To specify.*$/s, "");
    throw new UsageError(_withFlagSuggestion(message, Object.keys(flags)), command);
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

/**
 * The command whose words are closest to the words typed, comparing each
 * command with as many typed words as it has, e.g. "db migrate" with
 * "db migrat" and "init" with "inti".
 */
function _closestCommand(
  commands: readonly CommandSpec[],
  words: readonly string[],
): string | undefined {
  let best: { name: string; distance: number } | undefined;
  const lengths = [...new Set(commands.map((c) => c.path.length))].sort((a, b) => b - a);
  for (const length of lengths) {
    if (words.length < length) continue;
    const typed = words.slice(0, length).join(" ");
    const names = commands.filter((c) => c.path.length === length).map((c) => c.path.join(" "));
    const name = closestMatch(typed, names);
    if (name === undefined) continue;
    const distance = editDistance(typed, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}

/** Adds "did you mean --flag?" to `node:util`'s unknown-option message when a flag is close. */
function _withFlagSuggestion(message: string, flags: readonly string[]): string {
  const typed = /^Unknown option '--([^']+)'$/.exec(message)?.[1];
  const suggestion = typed === undefined ? undefined : closestMatch(typed, flags);
  return suggestion === undefined ? message : `${message}; did you mean --${suggestion}?`;
}
