/**
 * Turns the measurements into the workers benchmark's report: each system
 * against graphile-worker with its defaults (the issue's baseline), the
 * issue's target for NetScript on Postgres (≥ 1.0 × its throughput, no
 * worse p50 and p99 latency), and the notes a reader needs.
 *
 * @module
 */
import { cpus, totalmem } from "node:os";
import type { SystemResult } from "./measure.ts";
import type { WorkersBenchOptions } from "./options.ts";
import { BASELINE_ID, BATCHED_BASELINE_ID } from "./system.ts";

/** One round of a system, in brief. */
export interface RoundSummary {
  /** Drain throughput. */
  jobsPerSecond: number;
  /** Median add→start latency. */
  p50Ms: number;
  /** 99th percentile add→start latency. */
  p99Ms: number;
}

/** A system's median round, with every round in brief. */
export interface MeasuredSystem extends SystemResult {
  /** Every round, in measuring order. */
  everyRound: RoundSummary[];
}

/** A system that could not be measured. */
export interface SystemFailure {
  /** The system's id. */
  id: string;
  /** The row label. */
  label: string;
  /** Why. */
  error: string;
}

/** One system against the baseline. */
export interface Ratio {
  /** The system's id. */
  id: string;
  /** Its jobs/s ÷ the baseline's. */
  throughput: number;
  /** Its p50 latency ÷ the baseline's (lower is better). */
  p50: number;
  /** Its p99 latency ÷ the baseline's (lower is better). */
  p99: number;
}

/** The issue's target for NetScript on Postgres against graphile-worker. */
export interface Verdict {
  /** Jobs/s ≥ 1.0 × graphile-worker's. */
  throughputMet: boolean;
  /** p50 and p99 add→start latency ≤ graphile-worker's. */
  latencyMet: boolean;
}

/** The machine the benchmark ran on. */
export interface Machine {
  /** Deno's version. */
  deno: string;
  /** The operating system and architecture. */
  os: string;
  /** Logical CPUs. */
  cpus: number;
  /** The CPU model. */
  cpuModel: string;
  /** Total memory in GiB. */
  memoryGib: number;
  /** The PostgreSQL server's version. */
  postgres: string;
  /** The 1-minute load average when the benchmark started. */
  loadAverageAtStart: number;
}

/** The whole report, as printed by `--json`. */
export interface WorkersBenchReport {
  /** The workload. */
  settings: Omit<WorkersBenchOptions, "json">;
  /** Where it ran. */
  machine: Machine;
  /** One entry per measured system, in measuring order: its median round. */
  results: MeasuredSystem[];
  /** Systems that failed. */
  failures: SystemFailure[];
  /** Each system ÷ graphile-worker (defaults); empty when that row is missing. */
  ratios: Ratio[];
  /** Each system ÷ graphile-worker batched; empty when that row is missing. */
  batchedRatios: Ratio[];
  /** NetScript on Postgres against the target, when both rows were measured. */
  verdict: Verdict | null;
  /**
   * NetScript on Postgres claiming ahead against graphile-worker batched
   * (throughput ≥ 1.0), when both rows were measured.
   */
  claimAheadMet: boolean | null;
  /** Caveats. */
  notes: string[];
}

const BUSY_LOAD_AVERAGE = 1;

/**
 * Describes the machine.
 *
 * @param postgres The PostgreSQL server's version.
 * @returns The machine.
 */
export function describeMachine(postgres: string): Machine {
  const [loadAverageAtStart = 0] = Deno.loadavg();
  return {
    deno: Deno.version.deno,
    os: `${Deno.build.os}/${Deno.build.arch}`,
    cpus: navigator.hardwareConcurrency,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGib: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    postgres,
    loadAverageAtStart,
  };
}

/**
 * Picks the round with the median throughput (the lower middle one for an
 * even count), so that its jobs/s and latencies come from the same run.
 *
 * @param rounds One system's rounds, at least one.
 * @returns The median round, with every round in brief.
 */
export function medianRound(rounds: readonly SystemResult[]): MeasuredSystem {
  const sorted = rounds.toSorted((a, b) => a.drain.jobsPerSecond - b.drain.jobsPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new RangeError("Cannot take the median of zero rounds");
  return {
    ...median,
    everyRound: rounds.map((round) => ({
      jobsPerSecond: round.drain.jobsPerSecond,
      p50Ms: round.latency.p50Ms,
      p99Ms: round.latency.p99Ms,
    })),
  };
}

/**
 * Builds the report.
 *
 * @param options The workload.
 * @param machine Where it ran.
 * @param results The measured systems.
 * @param failures The systems that failed.
 * @returns The report.
 */
export function buildReport(
  options: WorkersBenchOptions,
  machine: Machine,
  results: MeasuredSystem[],
  failures: SystemFailure[],
): WorkersBenchReport {
  const { json: _json, ...settings } = options;
  const baseline = results.find((result) => result.id === BASELINE_ID);
  const ratios = baseline ? results.map((result) => _ratio(result, baseline)) : [];
  const netscript = ratios.find((ratio) => ratio.id === "netscript-postgres");
  const batched = results.find((result) => result.id === BATCHED_BASELINE_ID);
  const batchedRatios = batched ? results.map((result) => _ratio(result, batched)) : [];
  const claimAhead = batchedRatios.find((ratio) => ratio.id === "netscript-postgres-claim-ahead");
  return {
    settings,
    machine,
    results,
    failures,
    ratios,
    batchedRatios,
    claimAheadMet: claimAhead ? claimAhead.throughput >= 1 : null,
    verdict: netscript
      ? {
        throughputMet: netscript.throughput >= 1,
        latencyMet: netscript.p50 <= 1 && netscript.p99 <= 1,
      }
      : null,
    notes: _notes(results, failures),
  };
}

function _ratio(result: SystemResult, baseline: SystemResult): Ratio {
  return {
    id: result.id,
    throughput: result.drain.jobsPerSecond / baseline.drain.jobsPerSecond,
    p50: result.latency.p50Ms / baseline.latency.p50Ms,
    p99: result.latency.p99Ms / baseline.latency.p99Ms,
  };
}

function _notes(results: MeasuredSystem[], failures: SystemFailure[]): string[] {
  const notes: string[] = [];
  for (const result of results) {
    if (result.everyRound.length > 1) {
      notes.push(
        `${result.label}: per round ${
          result.everyRound.map((round) =>
            `${Math.round(round.jobsPerSecond)} jobs/s (p50 ${round.p50Ms.toFixed(2)}, p99 ${
              round.p99Ms.toFixed(2)
            } ms)`
          ).join(" / ")
        }.`,
      );
    }
    const { check } = result;
    if (!check.exactlyOnce) {
      notes.push(
        `WARNING ${result.label}: ${check.missing} jobs never ran and ${check.repeated} extra runs; not exactly once.`,
      );
    }
    if (!check.storeAgrees) {
      notes.push(
        `WARNING ${result.label}: the store reports ${check.store.completed} completed and ${
          JSON.stringify(check.store.other)
        } otherwise.`,
      );
    }
    for (const line of result.childOutput) notes.push(`${result.label} stderr: ${line}`);
  }
  for (const failure of failures) notes.push(`FAILED ${failure.label}: ${failure.error}`);
  if (results.some((result) => result.loadAverageAtStart >= BUSY_LOAD_AVERAGE)) {
    notes.push(
      `1-minute load average when each system's median round started: ${
        results.map((r) => `${r.label} ${r.loadAverageAtStart.toFixed(2)}`).join(", ")
      } (it counts this benchmark's own earlier rows; on ${navigator.hardwareConcurrency} CPUs, values near or above that mean other work shared them).`,
    );
  }
  return notes;
}
