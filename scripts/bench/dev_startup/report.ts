/**
 * Turns the measured rounds into the benchmark's report: startup spread for
 * `netscript dev` and the raw baseline, their ratio, the ≤ 5 s target, and
 * each resource's median resident memory.
 *
 * @module
 */
import { cpus, totalmem } from "node:os";
import type { DevRoundResult } from "./dev_round.ts";
import type { Memory } from "./processes.ts";
import { type RoundResult, SETTLE_MS } from "./round.ts";

/** The target: the app plus five plugin resources healthy within 5 s. */
export const TARGET_MS = 5_000;

/** Several measurements of one duration. */
export interface Spread {
  /** The median, in milliseconds. */
  medianMs: number;
  /** The fastest round. */
  minMs: number;
  /** The slowest round. */
  maxMs: number;
  /** Every round, in order. */
  roundsMs: number[];
}

/** A median resident memory, in MiB. */
export interface MemoryMib {
  /** Resident set size, shared pages included. */
  rssMib: number;
  /** Of which private (anonymous) memory; `null` where it could not be read. */
  privateMib: number | null;
}

/** One resource's median resident memory. */
export interface ResourceMemory {
  /** The resource name. */
  name: string;
  /** `service` or `processor`. */
  kind: string;
  /** Under `netscript dev`. */
  dev: MemoryMib;
  /** Started directly. */
  raw: MemoryMib;
}

/** The machine the benchmark ran on. */
export interface Machine {
  /** Deno's version. */
  deno: string;
  /** The operating system. */
  os: string;
  /** The CPU architecture. */
  arch: string;
  /** Logical CPUs. */
  cpus: number;
  /** The CPU model. */
  cpuModel: string;
  /** Total memory in GiB. */
  memoryGib: number;
  /** The 1-minute load average when the benchmark started. */
  loadAverageAtStart: number;
}

/** Everything the benchmark reports. */
export interface DevBenchReport {
  /** Measured rounds. */
  rounds: number;
  /** How the module cache was warmed before measuring. */
  warmup: string;
  /** The machine. */
  machine: Machine;
  /** Time to every resource running and every service healthy. */
  startup: {
    /** `netscript dev`, from spawning the CLI. */
    dev: Spread;
    /** `netscript dev`, from spawning the CLI until it started its first resource. */
    devBeforeFirstResource: Spread;
    /** The same processes started directly, all at once. */
    raw: Spread;
    /** Median `netscript dev` ÷ median raw. */
    ratio: number;
    /** The target for `netscript dev`, in milliseconds. */
    targetMs: number;
    /** Whether the median `netscript dev` startup meets the target. */
    met: boolean;
  };
  /** Time from SIGINT until `netscript dev` exited, having stopped every resource. */
  stop: Spread;
  /** Median resident memory. */
  memory: {
    /** Per resource. */
    resources: ResourceMemory[];
    /** The `netscript dev` runner itself. */
    runner: MemoryMib;
    /** How long after startup memory was read, in milliseconds. */
    readAfterMs: number;
  };
  /** Resources whose process outlived `netscript dev` in any round. */
  leftovers: string[];
}

/**
 * Builds the report.
 *
 * @param dev The measured `netscript dev` rounds.
 * @param raw The measured raw rounds.
 * @param context The machine and how the cache was warmed.
 * @returns The report.
 */
export function buildReport(
  dev: readonly DevRoundResult[],
  raw: readonly RoundResult[],
  context: { machine: Machine; warmup: string },
): DevBenchReport {
  const devStartup = _spread(dev.map((r) => r.startupMs));
  const rawStartup = _spread(raw.map((r) => r.startupMs));
  return {
    rounds: dev.length,
    ...context,
    startup: {
      dev: devStartup,
      devBeforeFirstResource: _spread(dev.map((r) => r.firstSpawnMs)),
      raw: rawStartup,
      ratio: devStartup.medianMs / rawStartup.medianMs,
      targetMs: TARGET_MS,
      met: devStartup.medianMs <= TARGET_MS,
    },
    stop: _spread(dev.map((r) => r.stopMs)),
    memory: {
      resources: _resourceMemory(dev, raw),
      runner: _medianMemory(dev.map((r) => r.runner)),
      readAfterMs: SETTLE_MS,
    },
    leftovers: [...new Set(dev.flatMap((r) => r.leftovers))],
  };
}

/** The median, fastest and slowest of some durations (at least one). */
function _spread(values: readonly number[]): Spread {
  return {
    medianMs: _median(values),
    minMs: Math.min(...values),
    maxMs: Math.max(...values),
    roundsMs: [...values],
  };
}

/**
 * Describes this machine.
 *
 * @returns CPUs, memory, OS, Deno version and the current load average.
 */
export function describeMachine(): Machine {
  return {
    deno: Deno.version.deno,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpus: navigator.hardwareConcurrency,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGib: totalmem() / 1024 ** 3,
    loadAverageAtStart: Deno.loadavg()[0] ?? 0,
  };
}

function _resourceMemory(
  dev: readonly DevRoundResult[],
  raw: readonly RoundResult[],
): ResourceMemory[] {
  const of = (rounds: readonly RoundResult[], name: string) =>
    _medianMemory(rounds.map((r) => r.memory.find((m) => m.name === name)!));
  return dev[0]!.memory.map(({ name, kind }) => ({
    name,
    kind,
    dev: of(dev, name),
    raw: of(raw, name),
  }));
}

function _medianMemory(samples: readonly Memory[]): MemoryMib {
  const privateKib = samples.map((s) => s.privateKib);
  return {
    rssMib: _median(samples.map((s) => s.rssKib)) / 1024,
    privateMib: privateKib.every((kib) => kib !== null) ? _median(privateKib) / 1024 : null,
  };
}

function _median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
