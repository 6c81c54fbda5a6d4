/**
 * Prints the report of `deno task bench:streams` for people: the workload,
 * the machine, one table row per system with its ratios to the reference
 * server, and whether streams-api on Postgres meets the issue's goal.
 *
 * @module
 */
import type { Ratio, StreamsBenchReport } from "./report.ts";

/**
 * Formats the report.
 *
 * @param report The report.
 * @returns Printable text.
 */
export function formatStreamsReport(report: StreamsBenchReport): string {
  const { settings: s, machine: m } = report;
  const ratio = (id: string) => report.ratios.find((r) => r.id === id);
  const rows = [[
    "System",
    "single rec/s",
    "×",
    "batched rec/s",
    "×",
    "read MB/s",
    "×",
    "SSE p50 ms",
    "×",
    "SSE p99 ms",
    "×",
  ]];
  for (const result of report.results) {
    const r = ratio(result.id);
    const times = (pick: (r: Ratio) => number) => r ? pick(r).toFixed(2) : "";
    rows.push([
      result.label,
      _round(result.single.recordsPerSecond),
      times((r) => r.single),
      _round(result.batched.recordsPerSecond),
      times((r) => r.batched),
      result.read.megabytesPerSecond.toFixed(1),
      times((r) => r.read),
      result.latency.p50Ms.toFixed(2),
      times((r) => r.p50),
      result.latency.p99Ms.toFixed(2),
      times((r) => r.p99),
    ]);
  }
  const postgres = ratio("netscript-postgres");
  return [
    `Streams benchmark: ${s.writers} writers × ${s.singleRequests} one-record appends; ${s.writers} writers × ${s.batchedRequests} appends of ${s.batch} records (~100 B each); catch-up read of a ${s.readMib} MiB stream (1 KiB records, median of 3 reads); append→SSE latency over ${s.latencyRecords} records appended one at a time; ${
      s.rounds === 1 ? "1 round" : `medians of ${s.rounds} rounds`
    }`,
    `Deno ${m.deno}, Node ${m.node}, PostgreSQL ${m.postgres}, ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGib} GiB, load average ${
      m.loadAverageAtStart.toFixed(2)
    } at start`,
    "",
    ..._table(rows),
    "",
    "× = streams-api ÷ reference server: above 1 is faster for rec/s and MB/s, below 1 is faster for latency.",
    postgres
      ? `Goal (≥ 1.0 × the reference's append and read throughput on Postgres): ${
        [postgres.single, postgres.batched, postgres.read].every((x) => x >= 1) ? "met" : "NOT met"
      } (single ${postgres.single.toFixed(2)}, batched ${postgres.batched.toFixed(2)}, read ${
        postgres.read.toFixed(2)
      })`
      : "Goal: not evaluated (the reference server or Postgres was not measured)",
    ...(report.failures.length > 0
      ? ["", "Failed:", ...report.failures.map((f) => `- ${f.label}: ${f.error}`)]
      : []),
  ].join("\n");
}

function _table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)
    ).join("  ").trimEnd()
  );
}

function _round(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
