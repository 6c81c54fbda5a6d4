/**
 * The settings of `scripts/bench/dev_startup.ts`: how many measured rounds,
 * and whether to print JSON.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The settings of one run of the dev startup benchmark. */
export interface DevBenchOptions {
  /** Measured rounds; each round runs `netscript dev` once and the raw baseline once. */
  rounds: number;
  /** Print the results as JSON on stdout instead of the tables. */
  json: boolean;
}

/** The usage text printed for `--help`. */
export const USAGE = `Usage: deno run --allow-all scripts/bench/dev_startup.ts [--rounds=N] [--json]

  --rounds  measured rounds after the warm-up round (default 3)
  --json    print the results as JSON on stdout`;

/**
 * Reads the settings from the command line.
 *
 * @param args The command-line arguments.
 * @returns The settings, or `undefined` when `--help` was asked for.
 * @throws {RangeError} When `--rounds` is not a whole number of at least 1.
 */
export function parseDevBenchOptions(args: string[]): DevBenchOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: "string", default: "3" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return undefined;
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`Cannot use --rounds=${values.rounds}: pass a whole number of at least 1`);
  }
  return { rounds, json: values.json };
}
