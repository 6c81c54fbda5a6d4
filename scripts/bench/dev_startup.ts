/**
 * Measures how long `netscript dev` takes to start a workspace with the app
 * service and five plugin resources (three plugin services, two background
 * processors), and how much memory each process holds.
 *
 * The benchmark builds a workspace in a temporary folder with
 * `netscript init app --db sqlite --cache-backend deno-kv --no-aspire --link
 * <this checkout>` and three plugin packages it writes itself. After one
 * untimed round that warms Deno's module cache, each round:
 *
 * 1. spawns `netscript dev` as a real process and times it until
 *    `.netscript/dev/state.json` shows every resource `running` and every
 *    service answers `/health` with 200; reads each process's resident
 *    memory and the runner's own; sends SIGINT and checks that no resource
 *    process survives the runner;
 * 2. starts the same six processes directly, with the identical `deno run`
 *    arguments and environment the runner used (read from `/proc`), all at
 *    once, and times them until every service is healthy: the raw baseline.
 *
 * It prints the median, fastest and slowest startup of both, their ratio,
 * whether the target (≤ 5 s) is met, and a memory table. Everything
 * it starts, and the temporary folder, is removed even when it fails or is
 * interrupted. Linux only (it reads `/proc`).
 *
 * ```sh
 * deno run --allow-all scripts/bench/dev_startup.ts             # 3 rounds
 * deno run --allow-all scripts/bench/dev_startup.ts --rounds=5 --json
 * ```
 *
 * @module
 */
import { type DevRoundResult, runDevRound } from "./dev_startup/dev_round.ts";
import { formatDevReport } from "./dev_startup/format_report.ts";
import { type DevBenchOptions, parseDevBenchOptions, USAGE } from "./dev_startup/options.ts";
import { killEverything } from "./dev_startup/processes.ts";
import { runRawRound } from "./dev_startup/raw_round.ts";
import { buildReport, describeMachine, type DevBenchReport } from "./dev_startup/report.ts";
import type { RoundResult } from "./dev_startup/round.ts";
import { createBenchWorkspace } from "./dev_startup/workspace.ts";

const WARMUP =
  "one untimed netscript dev round before the measured rounds (fills Deno's module and code caches for the CLI and all six entrypoints)";

async function measure(parent: string, options: DevBenchOptions): Promise<DevBenchReport> {
  const machine = describeMachine();
  progress("creating the workspace (netscript init with three generated plugins)");
  const root = await createBenchWorkspace(parent);
  progress("warm-up: one untimed netscript dev round");
  await runDevRound(root);
  const dev: DevRoundResult[] = [];
  const raw: RoundResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const devRound = await runDevRound(root);
    dev.push(devRound);
    progress(`round ${round}/${options.rounds}: netscript dev ${seconds(devRound.startupMs)}`);
    const rawRound = await runRawRound(root, devRound.launches);
    raw.push(rawRound);
    progress(`round ${round}/${options.rounds}: raw ${seconds(rawRound.startupMs)}`);
  }
  return buildReport(dev, raw, { machine, warmup: WARMUP });
}

function progress(text: string): void {
  console.error(`▶ ${text}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Makes the one clean-up of a run: kill every process the benchmark caused,
 * then remove the temporary folder. On SIGINT or SIGTERM it runs at once and
 * the benchmark exits with code 130; otherwise the caller runs it at the end.
 */
function cleanUpOnExitOrSignal(parent: string): { cleanUp(): Promise<void> } {
  const signals = ["SIGINT", "SIGTERM"] as const;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    cleaning ??= (async () => {
      for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
      await killEverything();
      await Deno.remove(parent, { recursive: true });
    })();
  const onSignal = () => {
    console.error("▶ interrupted: stopping every process and removing the workspace");
    cleanUp().finally(() => Deno.exit(130));
  };
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  return { cleanUp };
}

async function main(): Promise<number> {
  const options = parseDevBenchOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-bench-" });
  const { cleanUp } = cleanUpOnExitOrSignal(parent);
  try {
    const report = await measure(parent, options);
    console.log(options.json ? JSON.stringify(report, null, 2) : formatDevReport(report));
    return 0;
  } finally {
    await cleanUp();
  }
}

try {
  Deno.exit(await main());
} catch (error) {
  console.error(`dev startup benchmark failed: ${(error as Error).message}`);
  Deno.exit(1);
}
