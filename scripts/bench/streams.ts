/**
 * `deno task bench:streams`: the Durable Streams reference server
 * (`@durable-streams/server@0.3.7` on Node, file-backed) against
 * `streams-api` on PostgreSQL and on Deno KV, in one run on this machine,
 * each server its own process with a fresh store, driven the same way over
 * HTTP from this process:
 *
 * 1. append throughput, one record per request, from a few concurrent
 *    writers (default 4 × 1000);
 * 2. append throughput, 100 records per request (default 4 × 250);
 * 3. catch-up read throughput: a 32 MiB stream read from the start;
 * 4. append→SSE delivery latency, p50 and p99, with a `live=sse` reader at
 *    the tail and records appended one at a time.
 *
 * It prints a table with each figure's ratio to the reference server, and
 * whether streams-api on Postgres meets the goal (≥ 1.0 × the
 * reference's append and read throughput). The reference server is
 * installed with `npm ci` into `scripts/bench/durable_streams/` from its
 * committed lockfile on first use. Every process, database and temporary
 * folder is removed, even when the run fails or is interrupted.
 *
 * ```sh
 * deno task bench:streams
 * deno task bench:streams --rounds=3 --json
 * deno task bench:streams --systems=reference,netscript-postgres --read-mib=8
 * ```
 *
 * @module
 */
import { measureSystem, type SystemResult } from "./streams/measure.ts";
import { parseStreamsBenchOptions, type StreamsBenchOptions, USAGE } from "./streams/options.ts";
import { formatStreamsReport } from "./streams/format_report.ts";
import {
  computeRatios,
  describeMachine,
  medianOfRounds,
  type StreamsBenchReport,
  type SystemFailure,
} from "./streams/report.ts";
import { abandonAllSystems, installReference, SYSTEMS } from "./streams/servers.ts";
import { postgresVersion } from "./streams/stores.ts";

/** Set once a signal interrupted the run; nothing is printed after that. */
let interrupted = false;

async function run(options: StreamsBenchOptions): Promise<StreamsBenchReport> {
  if (options.systems.includes("reference")) await installReference();
  const machine = describeMachine(await postgresVersion(), await _nodeVersion());
  const chosen = SYSTEMS.filter((system) => options.systems.includes(system.id));
  const rounds = new Map<string, SystemResult[]>(chosen.map((system) => [system.id, []]));
  const failures: SystemFailure[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const [index, system] of chosen.entries()) {
      if (interrupted) break;
      if (failures.some((failure) => failure.label === system.label)) continue;
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
        failures.push({ label: system.label, error: message });
      }
    }
  }
  const results = chosen.flatMap((system) => {
    const measured = rounds.get(system.id)!;
    const failed = failures.some((failure) => failure.label === system.label);
    return failed || measured.length === 0 ? [] : [medianOfRounds(measured)];
  });
  return { settings: options, machine, results, ratios: computeRatios(results), failures };
}

async function _nodeVersion(): Promise<string> {
  const output = await new Deno.Command("node", { args: ["--version"], stdout: "piped" }).output();
  return new TextDecoder().decode(output.stdout).trim().replace(/^v/, "");
}

function readOptions(): StreamsBenchOptions | undefined {
  try {
    return parseStreamsBenchOptions(Deno.args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    Deno.exit(2);
  }
}

function exitOnSignal(signal: Deno.Signal, code: number): void {
  Deno.addSignalListener(signal, () => {
    interrupted = true;
    abandonAllSystems().finally(() => Deno.exit(code));
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
    // Once interrupted, the signal handler exits after cleaning up.
    if (!interrupted) {
      console.log(options.json ? JSON.stringify(report, null, 2) : formatStreamsReport(report));
      if (report.failures.length > 0) Deno.exitCode = 1;
    }
  } catch (error) {
    await abandonAllSystems();
    console.error("Benchmark failed:", error);
    Deno.exit(1);
  }
}
