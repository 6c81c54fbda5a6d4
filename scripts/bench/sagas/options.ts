/**
 * The sagas benchmark's settings, from its flags, and its workloads.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { SYSTEMS } from "./system.ts";

/** The settings of one benchmark run. */
export interface SagasBenchOptions {
  /** Sagas per workload of 1 and 10 steps; the 100-step workloads run a tenth as many. */
  sagas: number;
  /** Steps per saga, one workload each (and each concurrency). */
  steps: number[];
  /** Sagas at once, one workload each (and each step count). */
  concurrency: number[];
  /** The ids of the systems to measure, in measuring order. */
  systems: string[];
  /** Print JSON instead of the tables. */
  json: boolean;
}

/** One workload: sagas of one length at one concurrency. */
export interface Workload {
  /** Steps per saga. */
  steps: number;
  /** Sagas at once: loops each starting a saga and awaiting its end. */
  concurrency: number;
  /** Sagas measured. */
  sagas: number;
  /** Sagas run first, same shape, not measured. */
  warmup: number;
}

/** The usage text printed for `--help` and bad flags. */
export const USAGE = `Usage: deno task bench:sagas [options]

  --sagas=N          sagas per workload of 1 and 10 steps; workloads of 100 steps
                     run N/10, so they run as many steps as the 10-step ones (default 300)
  --steps=a,b        steps per saga, one workload each (default 1,10,100)
  --concurrency=a,b  sagas at once, one workload each (default 1,20)
  --systems=a,b      systems to measure (default all): ${SYSTEMS.map((s) => s.id).join(", ")}
  --json             print the results as JSON

PostgreSQL: BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
each system gets a fresh database (or KV file), removed at the end.`;

/**
 * Reads the settings.
 *
 * @param args The command-line arguments.
 * @returns The settings, or `undefined` when `--help` was asked for.
 * @throws {RangeError} On a value that is not a whole number in range, or an unknown system.
 */
export function parseSagasBenchOptions(args: string[]): SagasBenchOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      sagas: { type: "string", default: "300" },
      steps: { type: "string", default: "1,10,100" },
      concurrency: { type: "string", default: "1,20" },
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
    sagas: _wholeNumber("sagas", values.sagas, 1),
    steps: _list("steps", values.steps),
    concurrency: _list("concurrency", values.concurrency),
    systems,
    json: values.json,
  };
}

/**
 * The workloads of a run, by concurrency, then steps. A workload runs at
 * least as many sagas as it has loops, and warms up with a tenth of its
 * sagas (at least one per loop).
 *
 * @param options The settings.
 * @returns The workloads, in measuring order.
 */
export function workloadsOf(options: SagasBenchOptions): Workload[] {
  return options.concurrency.flatMap((concurrency) =>
    options.steps.map((steps) => {
      const sagas = Math.max(
        concurrency,
        steps >= 100 ? Math.round(options.sagas / 10) : options.sagas,
      );
      return { steps, concurrency, sagas, warmup: Math.max(concurrency, Math.ceil(sagas / 10)) };
    })
  );
}

function _list(name: string, raw: string): number[] {
  return raw.split(",").map((part) => _wholeNumber(name, part.trim(), 1));
}

function _wholeNumber(name: string, raw: string, minimum: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`Cannot use --${name}=${raw}: pass whole numbers of at least ${minimum}`);
  }
  return value;
}
