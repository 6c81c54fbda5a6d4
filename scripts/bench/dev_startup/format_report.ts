/**
 * Prints the dev startup benchmark's report for people: the machine, the
 * startup table with the ratio and the target's verdict, the stop time, and
 * the memory table.
 *
 * @module
 */
import type { DevBenchReport, MemoryMib, Spread } from "./report.ts";

/**
 * Formats the report as plain text.
 *
 * @param report The report.
 * @returns Printable text.
 */
export function formatDevReport(report: DevBenchReport): string {
  const { machine, startup } = report;
  const resources = report.memory.resources.length;
  return [
    `netscript dev startup and memory: the app service plus ${
      resources - 1
    } plugin resources, median of ${report.rounds} round${report.rounds === 1 ? "" : "s"}`,
    `Deno ${machine.deno}, ${machine.os}/${machine.arch}, ${machine.cpus} CPUs (${machine.cpuModel}), ${
      machine.memoryGib.toFixed(1)
    } GiB RAM, load average ${machine.loadAverageAtStart.toFixed(2)} at start`,
    `Warm-up: ${report.warmup}`,
    "",
    "Startup: spawn → every resource running and every service answering /health with 200",
    ..._table([
      ["", "median", "min", "max", "rounds"],
      _startupRow("netscript dev", startup.dev),
      _startupRow("  until its first resource started", startup.devBeforeFirstResource),
      _startupRow("raw deno run, all at once", startup.raw),
    ]),
    "",
    `netscript dev ÷ raw: ${startup.ratio.toFixed(2)}×`,
    `Target netscript dev ≤ ${_seconds(startup.targetMs)}: ${
      startup.met ? "met" : `MISSED by ${_seconds(startup.dev.medianMs - startup.targetMs)}`
    } (median ${_seconds(startup.dev.medianMs)})`,
    `Stop (SIGINT → runner exited, every resource stopped): median ${
      _seconds(report.stop.medianMs)
    }, min ${_seconds(report.stop.minMs)}, max ${_seconds(report.stop.maxMs)}`,
    `Resource processes left after SIGINT: ${
      report.leftovers.length === 0 ? "none" : `${report.leftovers.join(", ")} (killed)`
    }`,
    "",
    `Resident memory in MiB, median of rounds, read ${
      _seconds(report.memory.readAfterMs)
    } after startup, under netscript dev and started directly.`,
    "RSS counts the pages every deno process shares (the executable) in each process; private is",
    "RssAnon: the process's own heap and stacks.",
    ..._memoryTable(report),
  ].join("\n");
}

function _startupRow(label: string, spread: Spread): string[] {
  return [
    label,
    _seconds(spread.medianMs),
    _seconds(spread.minMs),
    _seconds(spread.maxMs),
    spread.roundsMs.map((ms) => (ms / 1000).toFixed(2)).join(" / "),
  ];
}

function _memoryTable(report: DevBenchReport): string[] {
  const { resources, runner } = report.memory;
  const dev = _sum(resources.map((r) => r.dev));
  const raw = _sum(resources.map((r) => r.raw));
  const row = (label: string, kind: string, devMemory: MemoryMib, rawMemory?: MemoryMib) => [
    label,
    kind,
    _mib(devMemory.rssMib),
    _mib(devMemory.privateMib),
    rawMemory ? _mib(rawMemory.rssMib) : "-",
    rawMemory ? _mib(rawMemory.privateMib) : "-",
  ];
  return _table([
    ["resource", "kind", "dev RSS", "dev private", "direct RSS", "direct private"],
    ...resources.map((r) => row(r.name, r.kind, r.dev, r.raw)),
    row(`all ${resources.length} resources`, "", dev, raw),
    row("netscript dev runner", "", runner),
    row("total", "", _sum([dev, runner]), raw),
  ], 2);
}

function _sum(memory: readonly MemoryMib[]): MemoryMib {
  const privateMib = memory.map((m) => m.privateMib);
  return {
    rssMib: memory.reduce((sum, m) => sum + m.rssMib, 0),
    privateMib: privateMib.every((mib) => mib !== null)
      ? privateMib.reduce((sum, mib) => sum + mib, 0)
      : null,
  };
}

/** Aligns rows into columns: the first `left` left-aligned, the others right-aligned. */
function _table(rows: readonly string[][], left = 1): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column < left ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)
    ).join("   ").trimEnd()
  );
}

function _seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function _mib(mib: number | null): string {
  return mib === null ? "n/a" : mib.toFixed(1);
}
