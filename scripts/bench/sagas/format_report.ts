/**
 * Prints the sagas benchmark's report for people: the workloads and the
 * machine, one table row per system and workload, the goals, each
 * system's settings, NetScript's store calls per saga, and the notes.
 *
 * @module
 */
import { type SagasBenchReport, THROUGHPUT_GOAL } from "./report.ts";

/**
 * Formats the report.
 *
 * @param report The report.
 * @returns Printable text.
 */
export function formatSagasReport(report: SagasBenchReport): string {
  const { settings: s, machine: m } = report;
  return [
    `Sagas benchmark: sagas of ${s.steps.join(", ")} trivial steps at concurrency ${
      s.concurrency.join(", ")
    } (loops each starting a saga and awaiting its end); ${s.sagas} sagas per workload of 1 and 10 steps, ${
      Math.round(s.sagas / 10)
    } of 100; warm-up excluded`,
    `Deno ${m.deno}, ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGib} GiB, PostgreSQL ${m.postgres} (${m.commitSettings}), load average ${
      m.loadAverageAtStart.toFixed(2)
    } at start`,
    "",
    ..._table(report),
    "",
    ..._goals(report),
    "",
    "Settings:",
    ...report.results.map((result) => `- ${result.label}: ${result.settings}`),
    ..._storeCalls(report),
    ...(report.notes.length > 0 ? ["", "Notes:", ...report.notes.map((note) => `- ${note}`)] : []),
  ].join("\n");
}

function _table(report: SagasBenchReport): string[] {
  const rows = [[
    "System",
    "steps",
    "conc",
    "sagas",
    "steps/s",
    "sagas/s",
    "× DBOS",
    "write xact/step",
    "write xact/saga",
    "xact_commit/step",
    "rows written/step",
    "queries/step",
    "CPU µs/step",
  ]];
  const fixed = (value: number | null, digits = 2) =>
    value === null ? "n/a" : value.toFixed(digits);
  for (const result of report.results) {
    for (const cell of result.cells) {
      rows.push([
        result.label,
        String(cell.steps),
        String(cell.concurrency),
        String(cell.sagas),
        _round(cell.stepsPerSecond),
        fixed(cell.sagasPerSecond, 1),
        fixed(cell.ratioToBaseline),
        fixed(cell.writeTransactionsPerStep),
        fixed(cell.writeTransactionsPerSaga, 1),
        fixed(cell.committedTransactionsPerStep),
        fixed(cell.rowsWrittenPerStep),
        fixed(cell.queriesPerStep),
        _round(cell.cpuMicrosPerStep),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)
    ).join("  ")
  );
}

function _goals(report: SagasBenchReport): string[] {
  const slopes = report.results.map((result) =>
    `${result.label} ${
      result.writesPerExtraStep.map((slope) =>
        `${slope.writes.toFixed(2)} at concurrency ${slope.concurrency}`
      ).join(", ") || "n/a"
    }`
  );
  const head =
    `Write transactions each further step adds (slope of writes per saga from the shortest to the longest sagas): ${
      slopes.join("; ")
    }`;
  const { goals } = report;
  if (goals === null) {
    return [head, "Goals: not judged (needs both NetScript on Postgres and DBOS)."];
  }
  return [
    head,
    `Goal, NetScript on Postgres: at most one write transaction per step: ${
      goals.oneWritePerStep ? "met" : "MISSED"
    }`,
    `Goal, NetScript on Postgres: ≥ ${
      THROUGHPUT_GOAL.toFixed(1)
    } × DBOS's steps/s in every workload: ${
      goals.twiceBaseline ? "met" : `MISSED (${goals.missedThroughput.join(", ")})`
    }`,
  ];
}

function _storeCalls(report: SagasBenchReport): string[] {
  const lines: string[] = [];
  for (const result of report.results) {
    for (const cell of result.cells) {
      const calls = Object.entries(cell.run.storeCalls).filter(([, { count }]) => count > 0);
      if (calls.length === 0) continue;
      lines.push(
        `- ${result.label}, ${cell.steps} steps × ${cell.concurrency} (${
          (cell.run.seconds * 1000 / cell.sagas).toFixed(2)
        } ms per saga): ${
          calls.toSorted(([a], [b]) => a.localeCompare(b)).map(([name, { count, ms }]) =>
            `${name} ${(count / cell.sagas).toFixed(2)} (${(ms / count).toFixed(2)} ms each)`
          ).join(", ")
        }`,
      );
    }
  }
  return lines.length > 0 ? ["", "NetScript store calls per saga while measured:", ...lines] : [];
}

function _round(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
