/**
 * The workers benchmark's settings, from its flags.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { SYSTEMS } from "./system.ts";

/** The settings of one benchmark run. */
export interface WorkersBenchOptions {
  /** No-op jobs enqueued in bulk, then drained. */
  jobs: number;
  /** Jobs per bulk enqueue call. */
  batch: number;
  /** Worker processes per system. */
  processes: number;
  /** Jobs each worker process runs at once. */
  concurrency: number;
  /** Jobs enqueued one at a time in the latency phase. */
  latencyJobs: number;
  /** Milliseconds between two enqueues in the latency phase. */
  latencyIntervalMs: number;
  /** Times every system is measured (interleaved); each reports its median round. */
  rounds: number;
  /** The ids of the systems to measure, in measuring order. */
  systems: string[];
  /** Print JSON instead of the table. */
  json: boolean;
}

/** The usage text printed for `--help` and bad flags. */
export const USAGE = `Usage: deno task bench:workers [options]

  --jobs=N              no-op jobs enqueued in bulk, then drained (default 20000)
  --batch=N             jobs per bulk enqueue call (default 1000)
  --processes=N         worker processes per system (default 1)
  --concurrency=N       jobs each worker process runs at once (default 10)
  --latency-jobs=N      jobs enqueued one at a time with idle workers (default 2000)
  --latency-interval=MS milliseconds between those enqueues (default 5)
  --rounds=N            measure every system N times, interleaved; report the median
                        round by jobs/s (default 1)
  --systems=a,b         systems to measure (default all): ${SYSTEMS.map((s) => s.id).join(", ")}
  --json                print the results as JSON

PostgreSQL: BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
each system gets a fresh database, dropped at the end.`;

/**
 * Reads the settings.
 *
 * @param args The command-line arguments.
 * @returns The settings, or `undefined` when `--help` was asked for.
 * @throws {RangeError} On a value that is not a whole number in range, or an unknown system.
 */
export function parseWorkersBenchOptions(args: string[]): WorkersBenchOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      jobs: { type: "string", default: "20000" },
      batch: { type: "string", default: "1000" },
      processes: { type: "string", default: "1" },
      concurrency: { type: "string", default: "10" },
      "latency-jobs": { type: "string", default: "2000" },
      "latency-interval": { type: "string", default: "5" },
      rounds: { type: "string", default: "1" },
      systems: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return undefined;
  const known = SYSTEMS.map((system) => system.id);
  const systems = values.systems?.split(",").map((id) => id.trim()).filter(Boolean) ?? known;
  const unknown = systems.filter((id) => !known.includes(id));
  if (unknown.length > 0 || systems.length === 0) {
    throw new RangeError(`Unknown system ${unknown.join(", ")}; choose from ${known.join(", ")}`);
  }
  return {
    jobs: _wholeNumber("jobs", values.jobs, 1),
    batch: _wholeNumber("batch", values.batch, 1),
    processes: _wholeNumber("processes", values.processes, 1),
    concurrency: _wholeNumber("concurrency", values.concurrency, 1),
    latencyJobs: _wholeNumber("latency-jobs", values["latency-jobs"], 1),
    latencyIntervalMs: _wholeNumber("latency-interval", values["latency-interval"], 0),
    rounds: _wholeNumber("rounds", values.rounds, 1),
    systems,
    json: values.json,
  };
}

function _wholeNumber(name: string, raw: string, minimum: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`Cannot use --${name}=${raw}: pass a whole number of at least ${minimum}`);
  }
  return value;
}
