/**
 * The benchmark's settings: load shape from flags, else environment
 * variables, else defaults (10 connections, 3 s warm-up, 10 s measured,
 * one round).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The settings of one benchmark run. */
export interface BenchOptions {
  /** Concurrent keep-alive connections. */
  connections: number;
  /** Seconds of load before measuring, per target; not recorded. */
  warmupSeconds: number;
  /** Seconds of measured load per target. */
  durationSeconds: number;
  /** Times the whole sequence of targets is measured; each target reports its median round. */
  rounds: number;
  /** Print JSON instead of the table. */
  json: boolean;
}

/** The usage text printed for `--help` and bad flags. */
export const USAGE =
  `Usage: deno task bench [--connections=N] [--warmup=S] [--duration=S] [--rounds=N] [--json]

  --connections  concurrent connections (env BENCH_CONNECTIONS, default 10)
  --warmup       warm-up seconds per target (env BENCH_WARMUP, default 3)
  --duration     measured seconds per target (env BENCH_DURATION, default 10)
  --rounds       measure every target this many times, report the median
                 (env BENCH_ROUNDS, default 1)
  --json         print the results as JSON`;

const DEFAULTS = { connections: 10, warmup: 3, duration: 10, rounds: 1 } as const;

/**
 * Reads the settings.
 *
 * @param args The command-line arguments.
 * @param env Reads an environment variable.
 * @returns The settings, or `undefined` when `--help` was asked for.
 */
export function parseBenchOptions(
  args: string[],
  env: (name: string) => string | undefined,
): BenchOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      connections: { type: "string" },
      warmup: { type: "string" },
      duration: { type: "string" },
      rounds: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return undefined;
  return {
    connections: _wholeNumber(
      "connections",
      values.connections ?? env("BENCH_CONNECTIONS"),
      DEFAULTS.connections,
      1,
    ),
    warmupSeconds: _wholeNumber("warmup", values.warmup ?? env("BENCH_WARMUP"), DEFAULTS.warmup, 0),
    durationSeconds: _wholeNumber(
      "duration",
      values.duration ?? env("BENCH_DURATION"),
      DEFAULTS.duration,
      1,
    ),
    rounds: _wholeNumber("rounds", values.rounds ?? env("BENCH_ROUNDS"), DEFAULTS.rounds, 1),
    json: values.json,
  };
}

function _wholeNumber(
  name: string,
  raw: string | undefined,
  fallback: number,
  minimum: number,
): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`Cannot use ${name}="${raw}": pass a whole number of at least ${minimum}`);
  }
  return value;
}
