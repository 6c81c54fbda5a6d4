/**
 * Turns the measurements into the sagas benchmark's report: per system and
 * workload the throughput and what each step cost, each system's steps/s
 * ÷ DBOS's, and the goals for NetScript on Postgres (at most one
 * write transaction per step; at least 2 × DBOS's steps/s).
 *
 * @module
 */
import type { Machine } from "../workers/report.ts";
import type { CellMeasurement } from "./measure.ts";
import type { SagasBenchOptions } from "./options.ts";
import { BASELINE_ID, GOAL_ID, type SystemSpec } from "./system.ts";

/** One workload of one system, with its figures per step. */
export interface CellResult extends CellMeasurement {
  /** Steps run: sagas × steps. */
  totalSteps: number;
  /** Steps per second. */
  stepsPerSecond: number;
  /** Sagas per second. */
  sagasPerSecond: number;
  /** Write transactions (transaction ids taken) per step, or `null` off PostgreSQL. */
  writeTransactionsPerStep: number | null;
  /** Write transactions per saga, or `null`. */
  writeTransactionsPerSaga: number | null;
  /** `pg_stat_database.xact_commit` per step, or `null`. */
  committedTransactionsPerStep: number | null;
  /** Rows written per step, or `null`. */
  rowsWrittenPerStep: number | null;
  /** Statements sent to PostgreSQL (round trips) per step, or `null`. */
  queriesPerStep: number | null;
  /** The child's CPU time per step, in µs. */
  cpuMicrosPerStep: number;
  /** Steps/s ÷ DBOS's in the same workload, or `null` without a DBOS row. */
  ratioToBaseline: number | null;
}

/** One system's results. */
export interface SystemResult {
  /** The system's id. */
  id: string;
  /** The row label. */
  label: string;
  /** Its settings, in words. */
  settings: string;
  /** One entry per workload, in measuring order. */
  cells: CellResult[];
  /**
   * Write transactions each further step adds, per concurrency: the slope
   * between the shortest and the longest sagas' writes per saga.
   */
  writesPerExtraStep: { concurrency: number; writes: number }[];
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

/** The goals for NetScript on Postgres. */
export interface Goals {
  /** Every workload: each further step adds at most one write transaction. */
  oneWritePerStep: boolean;
  /** Every workload: steps/s ≥ 2 × DBOS's. */
  twiceBaseline: boolean;
  /** The workloads that missed the throughput goal, as `<steps> steps × <concurrency>`. */
  missedThroughput: string[];
}

/** The whole report, as printed by `--json`. */
export interface SagasBenchReport {
  /** The workload settings. */
  settings: Omit<SagasBenchOptions, "json">;
  /** Where it ran. */
  machine: Machine & { commitSettings: string };
  /** One entry per measured system, in measuring order. */
  results: SystemResult[];
  /** Systems that failed. */
  failures: SystemFailure[];
  /** The goals, when NetScript on Postgres and DBOS were both measured. */
  goals: Goals | null;
  /** Caveats. */
  notes: string[];
}

/** The throughput goal: NetScript on Postgres ÷ DBOS steps/s. */
export const THROUGHPUT_GOAL = 2;

/**
 * How far above one write transaction per further step still meets the
 * goal: a lease heartbeat (one write every 10 s per runner) or another
 * database's write during the run adds a few hundredths at most.
 */
export const WRITE_GOAL_TOLERANCE = 0.01;

/**
 * Builds the report.
 *
 * @param options The settings.
 * @param machine Where it ran.
 * @param measured Each measured system's workloads.
 * @param failures The systems that failed.
 * @returns The report.
 */
export function buildReport(
  options: SagasBenchOptions,
  machine: SagasBenchReport["machine"],
  measured: { system: SystemSpec; cells: CellMeasurement[] }[],
  failures: SystemFailure[],
): SagasBenchReport {
  const { json: _json, ...settings } = options;
  const baseline = measured.find(({ system }) => system.id === BASELINE_ID);
  const results = measured.map(({ system, cells }): SystemResult => {
    const withFigures = cells.map((cell) => _figures(cell, baseline?.cells));
    return {
      id: system.id,
      label: system.label,
      settings: system.settings,
      cells: withFigures,
      writesPerExtraStep: _slopes(withFigures),
    };
  });
  const goal = results.find((result) => result.id === GOAL_ID);
  return {
    settings,
    machine,
    results,
    failures,
    goals: goal === undefined || baseline === undefined ? null : _goals(goal),
    notes: _notes(results, failures),
  };
}

function _figures(cell: CellMeasurement, baseline: CellMeasurement[] | undefined): CellResult {
  const totalSteps = cell.sagas * cell.steps;
  const stepsPerSecond = totalSteps / cell.run.seconds;
  const peer = baseline?.find((b) => b.steps === cell.steps && b.concurrency === cell.concurrency);
  const per = (value: number | null, count: number) => value === null ? null : value / count;
  return {
    ...cell,
    totalSteps,
    stepsPerSecond,
    sagasPerSecond: cell.sagas / cell.run.seconds,
    writeTransactionsPerStep: per(cell.writeTransactions, totalSteps),
    writeTransactionsPerSaga: per(cell.writeTransactions, cell.sagas),
    committedTransactionsPerStep: per(cell.committedTransactions, totalSteps),
    rowsWrittenPerStep: per(cell.rowsWritten, totalSteps),
    queriesPerStep: per(cell.run.queries, totalSteps),
    cpuMicrosPerStep: cell.run.cpuSeconds * 1e6 / totalSteps,
    ratioToBaseline: peer === undefined
      ? null
      : stepsPerSecond / (peer.sagas * peer.steps / peer.run.seconds),
  };
}

function _slopes(cells: CellResult[]): SystemResult["writesPerExtraStep"] {
  const slopes: SystemResult["writesPerExtraStep"] = [];
  for (const concurrency of new Set(cells.map((cell) => cell.concurrency))) {
    const same = cells
      .filter((cell) => cell.concurrency === concurrency && cell.writeTransactionsPerSaga !== null)
      .toSorted((a, b) => a.steps - b.steps);
    const [shortest, longest] = [same[0], same.at(-1)];
    if (shortest === undefined || longest === undefined || shortest.steps === longest.steps) {
      continue;
    }
    slopes.push({
      concurrency,
      writes: (longest.writeTransactionsPerSaga! - shortest.writeTransactionsPerSaga!) /
        (longest.steps - shortest.steps),
    });
  }
  return slopes;
}

function _goals(goal: SystemResult): Goals {
  const missedThroughput = goal.cells
    .filter((cell) => cell.ratioToBaseline === null || cell.ratioToBaseline < THROUGHPUT_GOAL)
    .map((cell) => `${cell.steps} steps × ${cell.concurrency}`);
  return {
    oneWritePerStep: goal.writesPerExtraStep.length > 0 &&
      goal.writesPerExtraStep.every((slope) => slope.writes <= 1 + WRITE_GOAL_TOLERANCE),
    twiceBaseline: missedThroughput.length === 0,
    missedThroughput,
  };
}

function _notes(results: SystemResult[], failures: SystemFailure[]): string[] {
  const notes: string[] = [];
  for (const result of results) {
    for (const cell of result.cells) {
      if (
        cell.writeTransactions !== null && cell.committedTransactions !== null &&
        cell.writeTransactions > cell.committedTransactions
      ) {
        notes.push(
          `${result.label}, ${cell.steps} steps × ${cell.concurrency}: ${cell.writeTransactions} transaction ids were taken but only ${cell.committedTransactions} transactions committed in its database; other databases of the server wrote meanwhile, so its write transactions are overstated.`,
        );
      }
    }
  }
  for (const failure of failures) notes.push(`FAILED ${failure.label}: ${failure.error}`);
  return notes;
}
