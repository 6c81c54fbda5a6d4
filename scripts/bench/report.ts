/**
 * Turns the measurements into the benchmark's report: the median round of
 * each target, the ratios the issues set targets for, and notes on anything
 * that makes a row suspect (a busy machine, failed requests, dropped spans,
 * a guard that kept asking `auth-api`, an OTLP receiver that got nothing).
 *
 * @module
 */
import type { DashboardMemory } from "./dashboard_memory.ts";
import type { BenchOptions } from "./options.ts";
import type { LoadResult } from "./load.ts";
import type { SessionCheckCosts } from "./session_check.ts";
import type { TargetId } from "./targets.ts";

/** One target's measurement in one round. */
export interface RoundResult extends LoadResult {
  /** The target key. */
  id: TargetId;
  /** The row label. */
  label: string;
  /** Whether the row is an extra, outside the targets the issues set goals for. */
  extra: boolean;
  /** Server CPU time (user + system) per response in the measured run, in µs; Linux only. */
  serverCpuMicrosPerRequest?: number;
  /** Responses the server sent: readiness ping, warm-up and measured run. */
  responsesServed: number;
  /** Spans the counting exporter received, for the tracing target. */
  spansExported?: number;
  /** Session checks the guard sent `auth-api` while serving them, for the guarded targets. */
  sessionChecks?: number;
  /** What the OTLP receiver got and spent, for a target that exports its spans. */
  sink?: SinkResult;
}

/** What a target's OTLP receiver got over the whole row, and its CPU in the measured run. */
export interface SinkResult {
  /** Trace exports with spans that it received. */
  traceExports: number;
  /** Spans the dashboard's receiver handed its trace store; not counted by the discarding one. */
  spansStored?: number;
  /** Its CPU time (user + system) per response in the measured run, in µs; Linux only. */
  cpuMicrosPerRequest?: number;
}

/** A target's median round, with the throughput of every round. */
export interface TargetResult extends RoundResult {
  /** req/s of each round, in measuring order. */
  everyRound: number[];
}

/** A ratio between two targets, with its goal if the issue sets one. */
export interface Ratio {
  /** What is compared, in words. */
  label: string;
  /** The numerator target. */
  of: TargetId;
  /** The denominator target. */
  to: TargetId;
  /**
   * What is divided: req/s (`throughput`, more is better) or p50 latency
   * (`latency`, less is better).
   */
  measure: "throughput" | "latency";
  /** The `measure` of `of` divided by that of `to`. */
  value: number;
  /**
   * For throughput, server CPU per request of `to` divided by that of `of`:
   * the same ratio judged by cost, which other work on the machine disturbs
   * much less.
   */
  byCpu?: number;
  /**
   * For throughput, the same ratio in each round, when there were several:
   * the two rows of a round were measured a minute apart at most, so these
   * move less with other work on the machine than the medians do.
   */
  everyRound?: number[];
  /**
   * The acceptable bound, when the issue sets one: the lowest value for
   * throughput, the highest for latency.
   */
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
  /**
   * NetScript against bare oRPC and guarded NetScript against unguarded,
   * with the issues' goals, then every target against raw Deno.serve.
   */
  ratios: Ratio[];
  /** What one session check costs, when the guarded target was measured. */
  sessionChecks?: SessionCheckCosts;
  /** The `netscript dev` runner's memory without and with the dashboard, on Linux. */
  dashboardMemory?: DashboardMemory;
  /** Caveats a reader needs: what is on in the NetScript rows, and anything suspect. */
  notes: string[];
}

const BUSY_LOAD_AVERAGE = 1;

type RatioSpec = Pick<Ratio, "label" | "of" | "to" | "goal"> & Partial<Pick<Ratio, "measure">>;

/** The ratios the performance and guard issues set goals for, then the extras. */
const RATIO_SPECS: readonly RatioSpec[] = [
  { label: "NetScript ÷ bare oRPC, tracing off", of: "netscript", to: "orpc", goal: 1 },
  { label: "NetScript ÷ bare oRPC, tracing on", of: "netscriptTracing", to: "orpc", goal: 1 },
  { label: "NetScript ÷ raw Deno.serve, tracing off", of: "netscript", to: "deno", goal: 0.5 },
  {
    label: "NetScript guarded ÷ unguarded, tracing off",
    of: "netscriptGuarded",
    to: "netscript",
    goal: 0.9,
  },
  {
    label: "NetScript exporting to the dev dashboard ÷ to a discarding receiver, p50 latency",
    of: "netscriptOtlpDashboard",
    to: "netscriptOtlpNowhere",
    measure: "latency",
    goal: 1.05,
  },
  { label: "extra: NetScript without request log ÷ bare oRPC", of: "netscriptNoLog", to: "orpc" },
  {
    label: "extra: NetScript guarded, every session checked with auth-api ÷ unguarded",
    of: "netscriptGuardedUncached",
    to: "netscript",
  },
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
 * Computes NetScript ÷ bare oRPC, guarded ÷ unguarded NetScript and the p50
 * latency of exporting spans to the dev dashboard ÷ to a discarding
 * receiver (with the issues' goals) and every target ÷ raw Deno.serve, for
 * the targets present in `results`.
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

/** What {@linkcode collectNotes} needs besides the results. */
export interface NoteContext {
  /** The machine's 1-minute load average when the run started. */
  loadAverage: number;
  /** Concurrent connections of the load: how many session checks may miss together at a start. */
  connections: number;
  /** The session-check costs, when they were measured. */
  sessionChecks?: SessionCheckCosts | undefined;
}

/**
 * Lists what a reader must know to trust the numbers.
 *
 * @param results The measurements.
 * @param context The load average, the load's connections and the session checks.
 * @returns One sentence per note.
 */
export function collectNotes(results: readonly TargetResult[], context: NoteContext): string[] {
  const { loadAverage, sessionChecks } = context;
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
    if (result.sessionChecks !== undefined) {
      notes.push(_sessionChecksNote(result, context.connections));
    }
    if (result.sink !== undefined) notes.push(_sinkNote(result, result.sink));
  }
  if (results.some((result) => result.sink !== undefined)) notes.push(EXPORT_NOTE);
  if (results.some((result) => result.sessionChecks !== undefined)) notes.push(GUARDED_NOTE);
  const guardCost = _guardCostNote(results);
  if (guardCost !== undefined) notes.push(guardCost);
  if (sessionChecks?.cachedAskedAuthApi) {
    notes.push(
      "WARNING The cached session check asked auth-api during its timed calls (alone or in requests): the revocation feed was lost, so some uncached checks were timed.",
    );
  }
  return notes;
}

function _ratio(results: readonly TargetResult[], spec: RatioSpec): Ratio | undefined {
  const of = results.find((result) => result.id === spec.of);
  const to = results.find((result) => result.id === spec.to);
  if (!of || !to) return undefined;
  if (spec.measure === "latency") {
    const latency = of.latencyP50Ms / to.latencyP50Ms;
    return {
      ...spec,
      measure: "latency",
      value: latency,
      ...(spec.goal === undefined ? {} : { met: latency <= spec.goal }),
    };
  }
  const value = of.requestsPerSecond / to.requestsPerSecond;
  const ofCpu = of.serverCpuMicrosPerRequest;
  const toCpu = to.serverCpuMicrosPerRequest;
  const everyRound = of.everyRound.length > 1
    ? of.everyRound.map((rate, round) => rate / (to.everyRound[round] ?? Number.NaN))
    : undefined;
  return {
    ...spec,
    measure: "throughput",
    value,
    ...(ofCpu === undefined || toCpu === undefined ? {} : { byCpu: toCpu / ofCpu }),
    ...(everyRound === undefined ? {} : { everyRound }),
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

const EXPORT_NOTE =
  "OTel export rows: the tracing-off NetScript server with Deno's built-in OpenTelemetry on and the variables netscript dev gives each process (OTEL_DENO=true, console and metrics not exported, http/protobuf, OTEL_BSP_SCHEDULE_DELAY=500), exporting to an OTLP receiver in its own process that starts before the server and stops after it: a discarding one (reads each body and answers 200) or the dev dashboard's (startDashboard with the runner's stores: decodes and keeps the spans).";

function _sinkNote(result: TargetResult, sink: SinkResult): string {
  const cpu = sink.cpuMicrosPerRequest === undefined
    ? ""
    : `; the receiver used ${sink.cpuMicrosPerRequest.toFixed(1)} µs of CPU per request`;
  if (sink.traceExports === 0) {
    return `WARNING ${result.label}: the receiver got no trace export, so the row did not trace${cpu}.`;
  }
  const exports = `${result.label}: the receiver got ${
    sink.traceExports.toLocaleString("en-US")
  } trace exports`;
  if (sink.spansStored === undefined) return `${exports}${cpu}.`;
  const perResponse = (sink.spansStored / result.responsesServed).toFixed(2);
  return `${exports} and decoded ${
    sink.spansStored.toLocaleString("en-US")
  } spans into its trace store for ${
    result.responsesServed.toLocaleString("en-US")
  } counted responses (${perResponse} a response)${cpu}.`;
}

/**
 * Beyond the checks of a start (the readiness ping, then each connection,
 * before and after the feed connects), a guard on its cached path asks
 * `auth-api` at most this often per response.
 */
const MOST_UNCACHED_SHARE = 0.001;

const GUARDED_NOTE =
  "Guarded rows: createGuard over auth-api (the auth plugin's service, kv-oauth backend, sessions in an in-memory Deno KV) in its own process, with the workspace's secret, so the guard subscribes to the revocation feed; every procedure requires a session (defaultAccess: \"all\"); the load sends the session cookie of a user signed in through a local OpenID Connect issuer.";

function _sessionChecksNote(result: TargetResult, connections: number): string {
  const checks = result.sessionChecks ?? 0;
  const startChecks = 1 + 2 * connections;
  const asked = `${result.label}: the guard asked auth-api ${
    checks.toLocaleString("en-US")
  } times for ${result.responsesServed.toLocaleString("en-US")} counted responses`;
  if (result.id === "netscriptGuardedUncached") return `${asked}.`;
  return checks <= startChecks + result.responsesServed * MOST_UNCACHED_SHARE
    ? `${asked}: every other request was answered from its memory (revocation feed connected).`
    : `WARNING ${asked}: beyond the ${startChecks} a start may take, more than one in ${
      1 / MOST_UNCACHED_SHARE
    } requests was checked with auth-api, so the row does not measure the cached path.`;
}

function _guardCostNote(results: readonly TargetResult[]): string | undefined {
  const guarded = results.find((each) => each.id === "netscriptGuarded");
  const unguarded = results.find((each) => each.id === "netscript")?.serverCpuMicrosPerRequest;
  const cost = guarded?.serverCpuMicrosPerRequest;
  if (guarded === undefined || unguarded === undefined || cost === undefined) return undefined;
  return `${guarded.label}: ${cost.toFixed(1)} µs of server CPU per request against ${
    unguarded.toFixed(1)
  } unguarded, a difference of ${(cost - unguarded).toFixed(1)} µs.`;
}
