import type { Output } from "./output.ts";

/** One flag of a command. */
export interface FlagSpec {
  /** `string` flags take a value; `boolean` flags do not. */
  readonly type: "string" | "boolean";
  /** What the flag does, for help and the reference. */
  readonly description: string;
  /** The value's name in help, e.g. `engine` for `--db <engine>`. */
  readonly placeholder?: string;
  /** The allowed values; any other value is a usage error. */
  readonly choices?: readonly string[];
  /** The value when the flag is absent. */
  readonly default?: string | boolean;
}

/** One positional argument of a command. */
export interface ArgumentSpec {
  /** Its name in help, e.g. `dir`. */
  readonly name: string;
  /** What it is. */
  readonly description: string;
}

/** What a command receives. */
export interface CommandInput {
  /** The positional arguments, as declared. */
  readonly args: readonly string[];
  /** Flag values, with defaults applied. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  /** The directory the command runs in. */
  readonly cwd: string;
  /** Where to write. */
  readonly output: Output;
}

/** A `netscript` command: its definition (for parsing, help and docs) and its action. */
export interface CommandSpec {
  /** The words that select it, e.g. `["plugin", "add"]`. */
  readonly path: readonly string[];
  /** One line: what it does. */
  readonly summary: string;
  /** More detail for help and the reference. */
  readonly description: string;
  /** Positional arguments, all required. */
  readonly args: readonly ArgumentSpec[];
  /** Flags, by long name. `--help` and `--json` are added to every command. */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Example invocations with what they do. */
  readonly examples: readonly { readonly command: string; readonly description: string }[];
  /**
   * Runs the command.
   *
   * @returns The exit code: 0 on success, 1 on failure.
   */
  run(input: CommandInput): Promise<number>;
}

/** Flags every command accepts. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { type: "boolean", description: "Print the result as one JSON document", default: false },
  help: { type: "boolean", description: "Show this help", default: false },
};

/** A mistake in how the command was called: reported with usage, exit code 2. */
export class UsageError extends Error {
  /** The command the mistake concerns, when known. */
  readonly command: CommandSpec | undefined;

  /**
   * @param message What is wrong and how to call it instead.
   * @param command The command concerned.
   */
  constructor(message: string, command?: CommandSpec) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}
