/**
 * The report of `deno task bench:streams`: the settings, the machine, each
 * system's figures (the median of its rounds, figure by figure), and each
 * NetScript system's ratios to the reference server.
 *
 * @module
 */
import { cpus, totalmem } from "node:os";
import type { SystemResult } from "./measure.ts";
import type { StreamsBenchOptions } from "./options.ts";

/** The machine the benchmark ran on. */
export interface Machine {
  /** Deno's version. */
  readonly deno: string;
  /** Node's version, which runs the reference server. */
  readonly node: string;
  /** PostgreSQL's version. */
  readonly postgres: string;
  /** `linux x86_64`. */
  readonly os: string;
  /** Logical CPUs. */
  readonly cpus: number;
  /** The CPU model. */
  readonly cpuModel: string;
  /** Memory, GiB. */
  readonly memoryGib: number;
  /** The one-minute load average when the run started. */
  readonly loadAverageAtStart: number;
}

/** A system's figures divided by the reference server's: above 1 is better for throughput, below 1 for latency. */
export interface Ratio {
  /** The system's id. */
  readonly id: string;
  /** Single-record appends/s ÷ the reference's. */
  readonly single: number;
  /** Batched appends/s ÷ the reference's. */
  readonly batched: number;
  /** Read MB/s ÷ the reference's. */
  readonly read: number;
  /** SSE p50 ÷ the reference's. */
  readonly p50: number;
  /** SSE p99 ÷ the reference's. */
  readonly p99: number;
}

/** A system that could not be measured. */
export interface SystemFailure {
  /** Its name. */
  readonly label: string;
  /** Why. */
  readonly error: string;
}

/** Everything the benchmark prints. */
export interface StreamsBenchReport {
  /** The workload sizes. */
  readonly settings: StreamsBenchOptions;
  /** Where it ran. */
  readonly machine: Machine;
  /** One entry per system measured. */
  readonly results: readonly SystemResult[];
  /** Ratios to the reference, when it was measured. */
  readonly ratios: readonly Ratio[];
  /** Systems that failed. */
  readonly failures: readonly SystemFailure[];
}

/**
 * Describes this machine.
 *
 * @param postgres PostgreSQL's version.
 * @param node Node's version.
 * @returns The description.
 */
export function describeMachine(postgres: string, node: string): Machine {
  return {
    deno: Deno.version.deno,
    node,
    postgres,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    cpus: navigator.hardwareConcurrency,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGib: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: Deno.loadavg()[0] ?? 0,
  };
}

/**
 * Combines a system's rounds: each figure is the median of its rounds.
 *
 * @param rounds At least one round of one system.
 * @returns The combined figures.
 */
export function medianOfRounds(rounds: readonly SystemResult[]): SystemResult {
  const first = rounds[0]!;
  const median = (pick: (result: SystemResult) => number) => {
    const values = rounds.map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  return {
    id: first.id,
    label: first.label,
    single: {
      records: first.single.records,
      recordsPerSecond: median((r) => r.single.recordsPerSecond),
    },
    batched: {
      records: first.batched.records,
      recordsPerSecond: median((r) => r.batched.recordsPerSecond),
    },
    read: {
      bytes: first.read.bytes,
      requests: first.read.requests,
      megabytesPerSecond: median((r) => r.read.megabytesPerSecond),
    },
    latency: {
      records: first.latency.records,
      p50Ms: median((r) => r.latency.p50Ms),
      p99Ms: median((r) => r.latency.p99Ms),
    },
  };
}

/**
 * Divides every NetScript system's figures by the reference server's.
 *
 * @param results The systems' figures.
 * @returns One ratio per system other than the reference; none without it.
 */
export function computeRatios(results: readonly SystemResult[]): Ratio[] {
  const reference = results.find((result) => result.id === "reference");
  if (!reference) return [];
  return results.filter((result) => result !== reference).map((result) => ({
    id: result.id,
    single: result.single.recordsPerSecond / reference.single.recordsPerSecond,
    batched: result.batched.recordsPerSecond / reference.batched.recordsPerSecond,
    read: result.read.megabytesPerSecond / reference.read.megabytesPerSecond,
    p50: result.latency.p50Ms / reference.latency.p50Ms,
    p99: result.latency.p99Ms / reference.latency.p99Ms,
  }));
}
