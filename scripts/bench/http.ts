/**
 * `deno task bench`: measures, in one run on this machine and under the same
 * fixed load, how many `ping` RPC calls per second four servers answer, at
 * what latency, and how much server CPU each call costs:
 *
 * 1. raw `Deno.serve` with a hand-written JSON echo (the floor);
 * 2. a bare oRPC `RPCHandler` on `Deno.serve` (the baseline);
 * 3. a NetScript service with tracing off (no tracer provider registered);
 * 4. the same service with a real tracer provider (batching into a
 *    counting exporter);
 *
 * plus an extra row, NetScript with tracing and its per-request log line
 * off, that shows what the log line costs. Each server runs fresh in its own
 * child process, one after another; autocannon drives the load from this
 * process. The table ends with NetScript ÷ bare oRPC against the issue's
 * targets (≥ 0.90 tracing off, ≥ 0.80 tracing on). A missed target is
 * reported, not turned into a failing exit code.
 *
 * ```sh
 * deno task bench                       # 10 connections, 3 s warm-up, 10 s measured
 * deno task bench --rounds=3            # every target 3 times, median reported
 * deno task bench --duration=30 --json  # longer runs, JSON on stdout
 * ```
 *
 * @module
 */
import { cpus } from "node:os";
import { type Autocannon, AUTOCANNON_VERSION, loadAutocannon, runLoad } from "./load.ts";
import { type BenchOptions, parseBenchOptions, USAGE } from "./options.ts";
import { formatReport } from "./format_report.ts";
import {
  type BenchReport,
  collectNotes,
  computeRatios,
  medianRound,
  type RoundResult,
} from "./report.ts";
import { killAllServers, startServer } from "./server_process.ts";
import { type Target, TARGETS } from "./targets.ts";

const READINESS_PINGS = 1;
const shownStderrLines = new Set<string>();

async function measureTarget(
  target: Target,
  autocannon: Autocannon,
  options: BenchOptions,
): Promise<RoundResult> {
  await using server = await startServer(target);
  const { connections } = options;
  const warmup = options.warmupSeconds > 0
    ? await runLoad(autocannon, server.url, { connections, durationSeconds: options.warmupSeconds })
    : undefined;
  const cpuBefore = await server.cpuSeconds();
  const measured = await runLoad(autocannon, server.url, {
    connections,
    durationSeconds: options.durationSeconds,
  });
  const cpuMicros = cpuPerRequest(cpuBefore, await server.cpuSeconds(), measured.responses);
  const { report, otherLines } = await server.stop();
  for (const line of otherLines) showServerStderr(target, line);
  return {
    id: target.id,
    label: target.label,
    extra: target.extra,
    ...measured,
    responsesServed: READINESS_PINGS + (warmup?.responses ?? 0) + measured.responses,
    ...(cpuMicros === undefined ? {} : { serverCpuMicrosPerRequest: cpuMicros }),
    ...(report.spansExported === undefined ? {} : { spansExported: report.spansExported }),
  };
}

function showServerStderr(target: Target, line: string): void {
  if (shownStderrLines.has(line)) return;
  shownStderrLines.add(line);
  console.error(`  [${target.label}] stderr: ${line}`);
}

function cpuPerRequest(
  before: number | undefined,
  after: number | undefined,
  responses: number,
): number | undefined {
  if (before === undefined || after === undefined || responses === 0) return undefined;
  return (after - before) / responses * 1e6;
}

function describeMachine(loadAverageAtStart: number): BenchReport["machine"] {
  const processors = cpus();
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpus: navigator.hardwareConcurrency,
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    loadAverageAtStart,
  };
}

async function measureRounds(
  autocannon: Autocannon,
  options: BenchOptions,
): Promise<RoundResult[][]> {
  const perTarget = options.warmupSeconds + options.durationSeconds;
  const rounds: RoundResult[][] = TARGETS.map(() => []);
  for (let round = 1; round <= options.rounds; round++) {
    for (const [index, target] of TARGETS.entries()) {
      console.error(
        `▶ round ${round}/${options.rounds}, ${
          index + 1
        }/${TARGETS.length} ${target.label} (~${perTarget} s)`,
      );
      rounds[index]!.push(await measureTarget(target, autocannon, options));
    }
  }
  return rounds;
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const autocannon = await loadAutocannon();
  const [loadAverageAtStart = 0] = Deno.loadavg();
  const results = (await measureRounds(autocannon, options)).map(medianRound);
  return {
    settings: {
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      rounds: options.rounds,
      loadGenerator: `autocannon ${AUTOCANNON_VERSION} (in the benchmark process)`,
    },
    machine: describeMachine(loadAverageAtStart),
    results,
    ratios: computeRatios(results),
    notes: collectNotes(results, loadAverageAtStart),
  };
}

function readOptions(): BenchOptions | undefined {
  try {
    return parseBenchOptions(Deno.args, (name) => Deno.env.get(name));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    Deno.exit(2);
  }
}

function exitOnSignal(signal: Deno.Signal, code: number): void {
  Deno.addSignalListener(signal, () => {
    killAllServers();
    Deno.exit(code);
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
    console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  } catch (error) {
    killAllServers();
    console.error("Benchmark failed:", error);
    Deno.exit(1);
  }
}
