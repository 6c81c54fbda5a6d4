import { isNetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";
import { UsageError } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { cliPackage } from "./framework.ts";
import { renderCommandHelp, renderOverview } from "./help.ts";
import { createOutput, type Streams } from "./output.ts";
import { parseCommandLine } from "./parse_args.ts";

/** Exit codes. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Options of {@linkcode runCli}. */
export interface RunCliOptions {
  /**
   * The directory commands run in.
   * @default {Deno.cwd()}
   */
  cwd?: string;
  /**
   * Where output goes.
   * @default {the process's stdout and stderr}
   */
  streams?: Streams;
}

/**
 * Runs the `netscript` command line.
 *
 * @param argv The arguments after `netscript`.
 * @param options The working directory and output streams.
 * @returns The exit code: 0 success, 1 failure, 2 usage error.
 *
 * @example
 * ```ts ignore
 * import { runCli } from "@netscript/cli";
 *
 * Deno.exit(await runCli(["registry", "generate", "--check"]));
 * ```
 */
export async function runCli(
  argv: readonly string[],
  options: RunCliOptions = {},
): Promise<number> {
  const json = argv.includes("--json");
  const output = createOutput(json, options.streams);
  const errorOutput = createOutput(false, {
    stdout: (options.streams ?? Deno).stderr,
    stderr: (options.streams ?? Deno).stderr,
  });
  const version = (await cliPackage()).version;
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    output.line(renderOverview(COMMANDS, version, output.colors));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (argv[0] === "--version" || argv[0] === "-V") {
    output.line(`netscript ${version}`);
    output.result({ version });
    return EXIT.ok;
  }
  try {
    const { command, args, flags } = parseCommandLine(COMMANDS, argv);
    if (flags.help) {
      output.line(renderCommandHelp(command, output.colors));
      return EXIT.ok;
    }
    return await command.run({ args, flags, cwd: options.cwd ?? Deno.cwd(), output });
  } catch (error) {
    const { red, bold } = errorOutput.colors;
    if (error instanceof UsageError) {
      output.result({
        ok: false,
        error: { code: "USAGE" satisfies CliErrorCode, message: error.message },
      });
      errorOutput.line(`${red(bold("usage error"))}: ${error.message}`);
      errorOutput.line(
        error.command
          ? `Run netscript ${error.command.path.join(" ")} --help for its flags and examples.`
          : "Run netscript --help for the commands.",
      );
      return EXIT.usage;
    }
    if (isNetScriptError(error)) {
      output.result({ ok: false, error: error.toJSON() });
      errorOutput.line(`${red(bold(`error[${error.code}]`))}: ${error.message}`);
      return EXIT.failure;
    }
    output.result({
      ok: false,
      error: { code: "INTERNAL" satisfies CliErrorCode, message: String(error) },
    });
    errorOutput.line(
      `${red(bold("error"))}: ${error instanceof Error ? error.stack : String(error)}`,
    );
    return EXIT.failure;
  }
}
