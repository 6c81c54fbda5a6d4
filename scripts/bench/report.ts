/**
 * Turns the measurements into the benchmark's report: the median round of
 * each target, the ratios the issue sets targets for, and notes on anything
 * that makes a row suspect (a busy machine, failed requests, dropped spans).
 *
 * @module
 */
import type { BenchOptions } from "./options.ts";
import type { LoadResult } from "./load.ts";
import type { TargetId } from "./targets.ts";

/** One target's measurement in one round. */
export interface RoundResult extends LoadResult {
  /** The target key. */
  id: TargetId;
  /** The row label. */
  label: string;
  /** Whether the row is an extra, outside the four targets of the issue. */
  extra: boolean;
  /** Server CPU time (user + system) per response in the measured run, in µs; Linux only. */
  serverCpuMicrosPerRequest?: number;
  /** Responses the server sent: readiness ping, warm-up and measured run. */
  responsesServed: number;
  /** Spans the counting exporter received, for the tracing target. */
  spansExported?: number;
}

/** A target's median round, with the throughput of every round. */
export interface TargetResult extends RoundResult {
  /** req/s of each round, in measuring order. */
  everyRound: number[];
}

/** A throughput ratio between two targets, with its goal if the issue sets one. */
export interface Ratio {
  /** What is compared, in words. */
  label: string;
  /** The numerator target. */
  of: TargetId;
  /** The denominator target. */
  to: TargetId;
  /** req/s of `of` divided by req/s of `to`. */
  value: number;
  /**
   * Server CPU per request of `to` divided by that of `of`: the same ratio
   * judged by cost, which other work on the machine disturbs much less.
   */
  byCpu?: number;
  /** The lowest acceptable value, when the issue sets one. */
  goal?: number;
  /** Whether `value` reaches `goal`, when there is one. */
  met?: boolean;
}

/** The whole report, as printed by `--json`. */
export interface BenchReport {
  /** The load shape. */
  settings: Omit<BenchOptions, "json"> & { loadGenerator: string };
  /** Where it ran. */
  machine: {
    deno: string;
    v8: string;
    os: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    /** The 1-minute load average when the run started. */
    loadAverageAtStart: number;
  };
  /** One entry per target, in measuring order. */
  results: TargetResult[];
  /** NetScript against bare oRPC, with the goals, then every target against raw Deno.serve. */
  ratios: Ratio[];
  /** Caveats a reader needs: what is on in the NetScript rows, and anything suspect. */
  notes: string[];
}

const BUSY_LOAD_AVERAGE = 1;

type RatioSpec = Pick<Ratio, "label" | "of" | "to" | "goal">;

/** The ratios the performance issue sets goals for, then the extra one. */
const RATIO_SPECS: readonly RatioSpec[] = [
  { label: "NetScript ÷ bare oRPC, tracing off", of: "netscript", to: "orpc", goal: 1 },
  { label: "NetScript ÷ bare oRPC, tracing on", of: "netscriptTracing", to: "orpc", goal: 1 },
  { label: "NetScript ÷ raw Deno.serve, tracing off", of: "netscript", to: "deno", goal: 0.5 },
  { label: "extra: NetScript without request log ÷ bare oRPC", of: "netscriptNoLog", to: "orpc" },
];

/**
 * Picks the round with the median throughput (the lower middle one for an
 * even count), so that req/s and latencies come from the same run.
 *
 * @param rounds One target's rounds, at least one.
 * @returns The median round and every round's req/s.
 */
export function medianRound(rounds: readonly RoundResult[]): TargetResult {
  const sorted = rounds.toSorted((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new RangeError("Cannot take the median of zero rounds");
  return { ...median, everyRound: rounds.map((round) => round.requestsPerSecond) };
}

/**
 * Computes NetScript ÷ bare oRPC (with the goals) and every target
 * ÷ raw Deno.serve, for the targets present in `results`.
 *
 * @param results The measurements.
 * @returns The ratios: the bare oRPC ones first, then one per target.
 */
export function computeRatios(results: readonly TargetResult[]): Ratio[] {
  const specs: RatioSpec[] = [
    ...RATIO_SPECS,
    ...results.map((result) => ({
      label: `${result.label} ÷ raw Deno.serve`,
      of: result.id,
      to: "deno" as const,
    })),
  ];
  const ratios: Ratio[] = [];
  for (const spec of specs) {
    const ratio = _ratio(results, spec);
    if (ratio) ratios.push(ratio);
  }
  return ratios;
}

/**
 * Lists what a reader must know to trust the numbers.
 *
 * @param results The measurements.
 * @param loadAverage The machine's 1-minute load average when the run started.
 * @returns One sentence per note.
 */
export function collectNotes(results: readonly TargetResult[], loadAverage: number): string[] {
  const notes = [
    "NetScript rows keep the default logRequests: true, so every request builds and writes one JSON log line to stdout; the benchmark sends each server's stdout to /dev/null.",
  ];
  if (loadAverage >= BUSY_LOAD_AVERAGE) {
    notes.push(
      `WARNING The 1-minute load average was ${
        loadAverage.toFixed(2)
      } when the run started: other work was sharing the CPUs, so the numbers are noisy.`,
    );
  }
  for (const result of results) {
    if (result.everyRound.length > 1) notes.push(_roundsNote(result));
    if (result.non2xx > 0 || result.errors > 0) {
      notes.push(
        `WARNING ${result.label}: ${result.non2xx} non-2xx responses and ${result.errors} errors; its row is not a fair comparison.`,
      );
    }
    if (result.spansExported !== undefined) notes.push(_spanNote(result, result.spansExported));
  }
  return notes;
}

function _ratio(results: readonly TargetResult[], spec: RatioSpec): Ratio | undefined {
  const of = results.find((result) => result.id === spec.of);
  const to = results.find((result) => result.id === spec.to);
  if (!of || !to) return undefined;
  const value = of.requestsPerSecond / to.requestsPerSecond;
  const ofCpu = of.serverCpuMicrosPerRequest;
  const toCpu = to.serverCpuMicrosPerRequest;
  return {
    ...spec,
    value,
    ...(ofCpu === undefined || toCpu === undefined ? {} : { byCpu: toCpu / ofCpu }),
    ...(spec.goal === undefined ? {} : { met: value >= spec.goal }),
  };
}

function _roundsNote(result: TargetResult): string {
  const rates = result.everyRound.map((rate) => Math.round(rate).toLocaleString("en-US"));
  return `${result.label}: req/s per round ${rates.join(" / ")}.`;
}

function _spanNote(result: TargetResult, spans: number): string {
  const counted = `${result.label}: the counting exporter received ${
    spans.toLocaleString("en-US")
  } spans for ${result.responsesServed.toLocaleString("en-US")} counted responses`;
  return spans >= result.responsesServed
    ? `${counted}: none was dropped (the few extra spans are requests still in flight when a load run stopped).`
    : `WARNING ${counted}: ${result.responsesServed - spans} spans were dropped before export.`;
}
