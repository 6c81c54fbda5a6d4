/**
 * `deno task bench:workers`: NetScript's workers against graphile-worker
 * and pg-boss on the same PostgreSQL server, with the same total
 * concurrency, plus NetScript's Deno KV adapter, and NetScript's Redis
 * adapter against BullMQ on the same Redis. For each system, in a fresh
 * database (or KV file, or logical Redis database) of its own:
 *
 * 1. enqueue N no-op jobs (default 20,000) with the system's bulk API;
 * 2. start the worker processes (default 1 × concurrency 10) and measure
 *    drain throughput: N ÷ the time from the first handler start to the
 *    moment the store shows all N completed;
 * 3. with the workers idle, enqueue jobs one at a time (default 2000, one
 *    every 5 ms) and measure add→start latency: handler start minus the
 *    time enqueue was called (p50, p99, max);
 * 4. check that every job ran exactly once and that the store agrees.
 *
 * With `--rounds=N` every system is measured N times, interleaved, and its
 * median round (by jobs/s) is reported.
 *
 * Each system runs in child processes (one producer, P workers) started
 * from `scripts/bench/workers/systems/`; graphile-worker, pg-boss and
 * BullMQ are benchmark-only npm packages pinned in `bench_packages.ts`, run
 * with the benchmarks' own lockfile. It prints a table with jobs/s, latency and their ratios to
 * graphile-worker with its defaults, and whether NetScript on Postgres
 * meets the issue's target (≥ 1.0 × throughput, no worse latency). Every
 * database, temporary folder and process it made is removed, even when it
 * fails or is interrupted.
 *
 * ```sh
 * deno run --allow-all --unstable-kv scripts/bench/workers.ts
 * deno run --allow-all --unstable-kv scripts/bench/workers.ts --jobs=5000 --processes=2 --json
 * deno run --allow-all --unstable-kv scripts/bench/workers.ts --systems=netscript-postgres,graphile-worker
 * ```
 *
 * @module
 */
import { killAllChildren } from "./workers/child_process.ts";
import { formatWorkersReport } from "./workers/format_report.ts";
import { measureSystem, type SystemResult } from "./workers/measure.ts";
import { parseWorkersBenchOptions, USAGE, type WorkersBenchOptions } from "./workers/options.ts";
import {
  buildReport,
  describeMachine,
  medianRound,
  type SystemFailure,
  type WorkersBenchReport,
} from "./workers/report.ts";
import { postgresVersion } from "./workers/stores.ts";
import { SYSTEMS } from "./workers/system.ts";

/** The exit code of the signal that interrupted the run, once one did. */
let interruptedWith: number | undefined;

async function run(options: WorkersBenchOptions): Promise<WorkersBenchReport> {
  const machine = describeMachine(await postgresVersion());
  const chosen = SYSTEMS.filter((system) => options.systems.includes(system.id));
  const rounds = new Map<string, SystemResult[]>(chosen.map((system) => [system.id, []]));
  const failures: SystemFailure[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const [index, system] of chosen.entries()) {
      if (interruptedWith !== undefined) break;
      if (failures.some((failure) => failure.id === system.id)) continue;
      const progress = (text: string) =>
        console.error(
          `▶ round ${round}/${options.rounds}, ${
            index + 1
          }/${chosen.length} ${system.label}: ${text}`,
        );
      try {
        rounds.get(system.id)!.push(await measureSystem(system, options, progress));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        progress(`FAILED: ${message}`);
        failures.push({ id: system.id, label: system.label, error: message });
      }
    }
  }
  const results = chosen.flatMap((system) => {
    const measured = rounds.get(system.id)!;
    return failures.some((failure) => failure.id === system.id) || measured.length === 0
      ? []
      : [medianRound(measured)];
  });
  return buildReport(options, machine, results, failures);
}

function readOptions(): WorkersBenchOptions | undefined {
  try {
    return parseWorkersBenchOptions(Deno.args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    Deno.exit(2);
  }
}

/**
 * On SIGINT or SIGTERM: kill every child process; the system being measured
 * then fails, its database or folder is removed as the run unwinds, and
 * the benchmark exits with the signal's code. A second signal exits at once.
 */
function exitOnSignal(signal: Deno.Signal, code: number): void {
  Deno.addSignalListener(signal, () => {
    if (interruptedWith !== undefined) Deno.exit(code);
    interruptedWith = code;
    console.error("▶ interrupted: stopping every child process and removing the store");
    killAllChildren();
  });
}

if (import.meta.main) {
  const options = readOptions();
  if (!options) {
    console.log(USAGE);
    Deno.exit(0);
  }
  exitOnSignal("SIGINT", 130);
  exitOnSignal("SIGTERM", 143);
  try {
    const report = await run(options);
    if (interruptedWith !== undefined) Deno.exit(interruptedWith);
    console.log(options.json ? JSON.stringify(report, null, 2) : formatWorkersReport(report));
    Deno.exit(report.failures.length > 0 ? 1 : 0);
  } catch (error) {
    killAllChildren();
    console.error("Workers benchmark failed:", error);
    Deno.exit(1);
  }
}
