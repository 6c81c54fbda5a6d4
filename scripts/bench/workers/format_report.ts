/**
 * Prints the workers benchmark's report for people: the workload and the
 * machine, one table row per system, the verdict on the issue's target,
 * each system's settings, where NetScript's workers spent their store
 * calls, and the notes.
 *
 * @module
 */
import type { SystemResult } from "./measure.ts";
import type { Ratio, WorkersBenchReport } from "./report.ts";

/**
 * Formats the report.
 *
 * @param report The report.
 * @returns Printable text.
 */
export function formatWorkersReport(report: WorkersBenchReport): string {
  const { settings: s, machine: m } = report;
  return [
    `Workers benchmark: ${
      s.jobs.toLocaleString("en-US")
    } no-op jobs enqueued in bulk (${s.batch} per call), drained by ${s.processes} worker process(es) × concurrency ${s.concurrency}; latency: ${s.latencyJobs} jobs enqueued one every ${s.latencyIntervalMs} ms; ${
      s.rounds === 1 ? "1 round" : `median of ${s.rounds} rounds`
    }`,
    `Deno ${m.deno}, ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGib} GiB, PostgreSQL ${m.postgres}, load average ${
      m.loadAverageAtStart.toFixed(2)
    } at start`,
    "",
    ..._table(report.results, report.ratios, report.batchedRatios),
    "",
    ..._verdict(report),
    "",
    "Settings:",
    ...report.results.map((result) => `- ${result.label}: ${result.settings}`),
    ..._profiles(report.results),
    ...(report.notes.length > 0 ? ["", "Notes:", ...report.notes.map((note) => `- ${note}`)] : []),
  ].join("\n");
}

function _table(
  results: readonly SystemResult[],
  ratios: readonly Ratio[],
  batchedRatios: readonly Ratio[],
): string[] {
  const ratio = (id: string) => ratios.find((r) => r.id === id);
  const rows = [[
    "System",
    "jobs/s",
    "× graphile",
    "× batched",
    "p50 ms",
    "p99 ms",
    "max ms",
    "p50 ×",
    "p99 ×",
    "add call p50 ms",
    "enqueue jobs/s",
    "worker CPU µs/job",
    "DB xact/job",
    "exactly once",
  ]];
  for (const result of results) {
    const r = ratio(result.id);
    const b = batchedRatios.find((ratio) => ratio.id === result.id);
    rows.push([
      result.label,
      _round(result.drain.jobsPerSecond),
      r ? r.throughput.toFixed(2) : "n/a",
      b ? b.throughput.toFixed(2) : "n/a",
      result.latency.p50Ms.toFixed(2),
      result.latency.p99Ms.toFixed(2),
      result.latency.maxMs.toFixed(2),
      r ? r.p50.toFixed(2) : "n/a",
      r ? r.p99.toFixed(2) : "n/a",
      result.latency.addCallP50Ms.toFixed(2),
      _round(result.enqueue.jobsPerSecond),
      result.drain.workerCpuMicrosPerJob === null
        ? "n/a"
        : _round(result.drain.workerCpuMicrosPerJob),
      result.drain.dbTransactionsPerJob?.toFixed(2) ?? "n/a",
      result.check.exactlyOnce && result.check.storeAgrees ? "yes" : "NO",
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)
    ).join("  ")
  );
}

function _verdict(report: WorkersBenchReport): string[] {
  const { verdict } = report;
  const netscript = report.ratios.find((ratio) => ratio.id === "netscript-postgres");
  const ahead = report.batchedRatios.find((r) => r.id === "netscript-postgres-claim-ahead");
  const claimAhead = ahead && report.claimAheadMet !== null
    ? [
      `Target, NetScript on Postgres claiming ahead ÷ graphile-worker batched: throughput ${
        ahead.throughput.toFixed(2)
      } (≥ 1.00: ${report.claimAheadMet ? "met" : "MISSED"})`,
    ]
    : [];
  if (!verdict || !netscript) {
    return [
      "Target: not judged (needs both NetScript on Postgres and graphile-worker).",
      ...claimAhead,
    ];
  }
  return [
    ...claimAhead,
    `Target, NetScript on Postgres ÷ graphile-worker (defaults): throughput ${
      netscript.throughput.toFixed(2)
    } (≥ 1.00: ${verdict.throughputMet ? "met" : "MISSED"}); latency p50 ${
      netscript.p50.toFixed(2)
    } and p99 ${netscript.p99.toFixed(2)} (≤ 1.00: ${verdict.latencyMet ? "met" : "MISSED"})`,
  ];
}

function _profiles(results: readonly SystemResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const p = result.profile;
    if (!p.claimCalls) continue;
    lines.push(
      `- ${result.label}: ${p.claimCalls} claims (${(p.emptyClaims ?? 0)} empty), ${
        (p.claimedJobs! / p.claimCalls).toFixed(2)
      } jobs per claim (limit asked ${(p.claimLimitSum! / p.claimCalls).toFixed(2)}), ${
        (p.claimMs! / p.claimCalls).toFixed(2)
      } ms per claim; ${p.completeCalls} completion writes, ${
        (p.completedJobs! / Math.max(1, p.completeCalls!)).toFixed(2)
      } jobs and ${
        (p.completeMs! / Math.max(1, p.completeCalls!)).toFixed(2)
      } ms each; ${p.waitForWorkCalls} waits for work; ${
        ((p.claimCalls + p.completeCalls!) / result.drain.jobs).toFixed(2)
      } store calls per job`,
    );
  }
  return lines.length > 0 ? ["", "NetScript store calls while draining:", ...lines] : [];
}

function _round(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
