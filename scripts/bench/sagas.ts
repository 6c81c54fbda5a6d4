/**
 * `deno task bench:sagas`: NetScript's sagas (on PostgreSQL and on Deno KV)
 * against DBOS Transact 5.3.0, side by side in one run on the same
 * PostgreSQL server and the same Deno. Each system gets a fresh database
 * (or KV file) of its own; each workload runs in a child process of its
 * own, and the systems take turns workload by workload, so that a change
 * in the machine's load during the run touches them alike. A workload is sagas of 1, 10 or 100 trivial steps at concurrency 1
 * or 20, run the way the research's DBOS recipe runs them: `concurrency`
 * loops, each starting a saga and awaiting its end before the next (for
 * NetScript, a `createSagaRunner` with that concurrency runs them, woken
 * by the store). The child warms up with a tenth of the sagas, closes the
 * system, and opens it again for the measured run.
 *
 * For each system and workload it reports steps/s and sagas/s, and per
 * step: write transactions (transaction ids the server handed out, from
 * `pg_current_xact_id()` read before and after, less the reading's own),
 * `pg_stat_database.xact_commit` (every transaction committed in the
 * database, read-only ones included, as the research reports it), the
 * statements sent (round trips, counted in the child's `pg` driver) and
 * the child's CPU time. Then each system's steps/s ÷ DBOS's, and whether
 * NetScript on Postgres meets the goals: at most one write
 * transaction per step, and at least 2 × DBOS's steps/s. Every database,
 * folder and process it made is removed, even when it fails or is
 * interrupted.
 *
 * ```sh
 * deno task bench:sagas
 * deno task bench:sagas --sagas=100 --systems=netscript-postgres,dbos --json
 * ```
 *
 * @module
 */
import { describeMachine } from "./workers/report.ts";
import { postgresVersion } from "./workers/stores.ts";
import { formatSagasReport } from "./sagas/format_report.ts";
import { type CellMeasurement, killAllChildren, measureWorkload } from "./sagas/measure.ts";
import {
  parseSagasBenchOptions,
  type SagasBenchOptions,
  USAGE,
  workloadsOf,
} from "./sagas/options.ts";
import { buildReport, type SagasBenchReport, type SystemFailure } from "./sagas/report.ts";
import { commitSettings, openSagaBenchStore, type SagaBenchStore } from "./sagas/stores.ts";
import { SYSTEMS } from "./sagas/system.ts";

/** The exit code of the signal that interrupted the run, once one did. */
let interruptedWith: number | undefined;

async function run(options: SagasBenchOptions): Promise<SagasBenchReport> {
  const machine = {
    ...describeMachine(await postgresVersion()),
    commitSettings: await commitSettings(),
  };
  const chosen = SYSTEMS.filter((system) => options.systems.includes(system.id));
  const workloads = workloadsOf(options);
  const measured = chosen.map((system) => ({ system, cells: [] as CellMeasurement[] }));
  const failures: SystemFailure[] = [];
  await using stores = new AsyncDisposableStack();
  const opened = new Map<string, SagaBenchStore>();
  for (const system of chosen) {
    opened.set(system.id, stores.use(await openSagaBenchStore(system.store)));
  }
  for (const [index, workload] of workloads.entries()) {
    for (const { system, cells } of measured) {
      if (interruptedWith !== undefined) break;
      if (failures.some((failure) => failure.id === system.id)) continue;
      const progress = (text: string) =>
        console.error(`▶ ${index + 1}/${workloads.length} ${system.label}: ${text}`);
      progress(
        `${workload.sagas} sagas of ${workload.steps} steps at concurrency ${workload.concurrency}`,
      );
      try {
        cells.push(await measureWorkload(system, opened.get(system.id)!, workload));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        progress(`FAILED: ${message}`);
        failures.push({ id: system.id, label: system.label, error: message });
      }
    }
  }
  const complete = measured.filter(({ system }) => !failures.some((f) => f.id === system.id));
  return buildReport(options, machine, complete, failures);
}

function readOptions(): SagasBenchOptions | undefined {
  try {
    return parseSagasBenchOptions(Deno.args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    Deno.exit(2);
  }
}

/**
 * On SIGINT or SIGTERM: kill every child process; the system being
 * measured then fails, its store is removed as the run unwinds, and the
 * benchmark exits with the signal's code. A second signal exits at once.
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
    console.log(options.json ? JSON.stringify(report, null, 2) : formatSagasReport(report));
    Deno.exit(report.failures.length > 0 ? 1 : 0);
  } catch (error) {
    killAllChildren();
    console.error("Sagas benchmark failed:", error);
    Deno.exit(1);
  }
}
