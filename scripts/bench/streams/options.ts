/**
 * The settings of `deno task bench:streams`, from flags, else defaults.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type SystemId, SYSTEMS } from "./servers.ts";

/** The settings of one run. */
export interface StreamsBenchOptions {
  /** The systems to measure, in order. */
  readonly systems: readonly SystemId[];
  /** Concurrent writers of the append workloads. */
  readonly writers: number;
  /** Single-record requests per writer. */
  readonly singleRequests: number;
  /** Batched requests per writer. */
  readonly batchedRequests: number;
  /** Records per batched request. */
  readonly batch: number;
  /** MiB in the stream read from the start. */
  readonly readMib: number;
  /** Records timed from append to SSE delivery. */
  readonly latencyRecords: number;
  /** Times every system is measured; each figure is the median of its rounds. */
  readonly rounds: number;
  /** Print JSON instead of the table. */
  readonly json: boolean;
}

/** The usage text printed for `--help` and bad flags. */
export const USAGE = `Usage: deno task bench:streams [options]

  --systems=a,b       of ${SYSTEMS.map((s) => s.id).join(", ")} (default: all)
  --writers=N         concurrent writers of the append workloads (default 4)
  --single=N          one-record appends per writer (default 1000)
  --batched=N         batched appends per writer (default 250)
  --batch=N           records per batched append (default 100)
  --read-mib=N        size of the stream read from the start, MiB (default 32)
  --latency=N         records timed from append to SSE delivery (default 1000)
  --rounds=N          measure every system N times, report medians (default 1)
  --json              print the results as JSON`;

/**
 * Reads the settings.
 *
 * @param args The command-line arguments.
 * @returns The settings, or `undefined` when `--help` was asked for.
 * @throws {RangeError} For a bad value.
 */
export function parseStreamsBenchOptions(args: string[]): StreamsBenchOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      systems: { type: "string" },
      writers: { type: "string" },
      single: { type: "string" },
      batched: { type: "string" },
      batch: { type: "string" },
      "read-mib": { type: "string" },
      latency: { type: "string" },
      rounds: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return undefined;
  const known = SYSTEMS.map((system) => system.id);
  const systems = values.systems === undefined
    ? known
    : values.systems.split(",").map((id) => id.trim());
  for (const id of systems) {
    if (!known.includes(id as SystemId)) {
      throw new RangeError(`Unknown system "${id}": pass some of ${known.join(", ")}`);
    }
  }
  return {
    systems: systems as SystemId[],
    writers: _count("writers", values.writers, 4),
    singleRequests: _count("single", values.single, 1_000),
    batchedRequests: _count("batched", values.batched, 250),
    batch: _count("batch", values.batch, 100),
    readMib: _count("read-mib", values["read-mib"], 32),
    latencyRecords: _count("latency", values.latency, 1_000),
    rounds: _count("rounds", values.rounds, 1),
    json: values.json,
  };
}

function _count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot use --${name}=${raw}: pass a whole number of at least 1`);
  }
  return value;
}
