/**
 * Prints the benchmark's report for people: a header with the load shape and
 * the machine, the table, the NetScript ÷ bare oRPC and ÷ raw Deno.serve ratios with their
 * verdicts, and the notes.
 *
 * @module
 */
import type { BenchReport, Ratio, TargetResult } from "./report.ts";
import type { TargetId } from "./targets.ts";

/**
 * Formats the report as a table with ratios and notes.
 *
 * @param report The report.
 * @returns Printable text.
 */
export function formatReport(report: BenchReport): string {
  const { settings, machine } = report;
  const lines = [
    `HTTP benchmark: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per target, ${
      _rounds(settings.rounds)
    }, ${settings.loadGenerator}`,
    `Deno ${machine.deno} (V8 ${machine.v8}), ${machine.os}/${machine.arch}, ${machine.cpus} CPUs (${machine.cpuModel}), load average ${
      machine.loadAverageAtStart.toFixed(2)
    } at start`,
    "",
    ..._table(report.results, report.ratios),
    "",
    ...report.ratios.filter((ratio) => ratio.to === "orpc" || ratio.goal !== undefined).map(
      _formatRatio,
    ),
    "",
    ...report.notes.map((note) => `- ${note}`),
  ];
  return lines.join("\n");
}

function _table(results: readonly TargetResult[], ratios: readonly Ratio[]): string[] {
  const toDeno = (id: TargetId) => ratios.find((ratio) => ratio.of === id && ratio.to === "deno");
  const rows = [["Target", "req/s", "p50 ms", "p99 ms", "÷ Deno.serve", "server CPU µs/req"]];
  for (const result of results) {
    rows.push([
      result.label,
      Math.round(result.requestsPerSecond).toLocaleString("en-US"),
      result.latencyP50Ms.toFixed(2),
      result.latencyP99Ms.toFixed(2),
      toDeno(result.id)?.value.toFixed(2) ?? "n/a",
      result.serverCpuMicrosPerRequest?.toFixed(0) ?? "n/a",
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)
    )
      .join("   ")
  );
}

function _formatRatio(ratio: Ratio): string {
  const byCpu = ratio.byCpu === undefined
    ? ""
    : `; by server CPU per request ${ratio.byCpu.toFixed(2)}`;
  if (ratio.goal === undefined) {
    return `${ratio.label}: ${ratio.value.toFixed(2)} (no target${byCpu})`;
  }
  const verdict = ratio.met ? "met" : `MISSED by ${(ratio.goal - ratio.value).toFixed(2)}`;
  return `${ratio.label}: ${ratio.value.toFixed(2)} (target ≥ ${
    ratio.goal.toFixed(2)
  }: ${verdict}${byCpu})`;
}

function _rounds(rounds: number): string {
  return rounds === 1 ? "1 round" : `median of ${rounds} rounds`;
}
