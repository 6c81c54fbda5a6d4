/**
 * `deno task bench`: measures, in one run on this machine and under the same
 * fixed load, how many `ping` RPC calls per second these servers answer, at
 * what latency, and how much server CPU each call costs:
 *
 * 1. raw `Deno.serve` with a hand-written JSON echo (the floor);
 * 2. a bare oRPC `RPCHandler` on `Deno.serve` (the baseline);
 * 3. a NetScript service with tracing off (no tracer provider registered);
 * 4. the same service guarded: every call needs a session, checked with a
 *    real `auth-api` (kv-oauth backend, a local OpenID Connect issuer, both
 *    in their own processes) and kept in memory while the revocation feed
 *    is connected; the load sends a signed-in user's session cookie;
 * 5. the tracing-off service with a real tracer provider (batching into a
 *    counting exporter);
 * 6. the tracing-off service with Deno's built-in OpenTelemetry exporting
 *    its spans as `netscript dev` makes it (`traceExportEnv`), to an OTLP
 *    receiver in its own process that drops them ("tracing to nowhere");
 * 7. the same, exporting to the dev dashboard's receiver, which decodes
 *    and keeps them;
 *
 * plus two extra rows: NetScript with tracing and its per-request log line
 * off, that shows what the log line costs, and the guarded service with
 * `cacheTtlMs: 0`, every request checked with `auth-api`. Each server runs
 * fresh in its own child process, one after another; autocannon drives the
 * load from this process. After the rows, this process times one session
 * check (cached, uncached, service credential, and the cached one inside a
 * whole `service.fetch` call) against the same `auth-api`, then measures
 * the `netscript dev` runner's private memory without and with the
 * dashboard in a workspace it creates (`dashboard_memory.ts`). The report
 * ends with the ratios the issues set goals for (NetScript ÷ bare oRPC,
 * NetScript ÷ raw Deno.serve, guarded ÷ unguarded ≥ 0.9, the p50 latency
 * of exporting to the dashboard ÷ to nowhere ≤ 1.05) and the runner's
 * memory (the dashboard adds ≤ 15 MiB). A missed goal is reported, not
 * turned into a failing exit code.
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
import { type DashboardMemory, killDevRunner, measureDashboardMemory } from "./dashboard_memory.ts";
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
import { killAllServers, type ServerProcess, startServer, startSink } from "./server_process.ts";
import type { ServerReport } from "./servers/server_protocol.ts";
import { measureSessionChecks, type SessionCheckCosts } from "./session_check.ts";
import { type RunningAuthApi, startSignedInAuthApi } from "./signed_in_auth_api.ts";
import { type Target, TARGETS } from "./targets.ts";

const READINESS_PINGS = 1;
const shownStderrLines = new Set<string>();
/** The `auth-api` of the guarded row while it runs, for the signal handlers. */
let authApi: RunningAuthApi | undefined;

async function measureTarget(
  target: Target,
  autocannon: Autocannon,
  options: BenchOptions,
  auth: RunningAuthApi | undefined,
): Promise<RoundResult> {
  await using sink = target.sink === undefined ? undefined : await startSink(target.sink);
  await using server = await startServer(target, { auth, traceEndpoint: sink?.url.origin });
  const { connections } = options;
  const headers = target.guarded && auth ? { cookie: auth.cookie } : {};
  const warmup = options.warmupSeconds > 0
    ? await runLoad(autocannon, server.url, {
      connections,
      durationSeconds: options.warmupSeconds,
      headers,
    })
    : undefined;
  const cpuBefore = await server.cpuSeconds();
  const sinkCpuBefore = await sink?.cpuSeconds();
  const measured = await runLoad(autocannon, server.url, {
    connections,
    durationSeconds: options.durationSeconds,
    headers,
  });
  const cpuMicros = cpuPerRequest(cpuBefore, await server.cpuSeconds(), measured.responses);
  const sinkCpuMicros = cpuPerRequest(sinkCpuBefore, await sink?.cpuSeconds(), measured.responses);
  const { report, otherLines } = await server.stop();
  for (const line of otherLines) showServerStderr(target.label, line);
  const sinkReport = sink && target.sink && await stopSink(sink, target.sink.label);
  return {
    id: target.id,
    label: target.label,
    extra: target.extra,
    ...measured,
    responsesServed: READINESS_PINGS + (warmup?.responses ?? 0) + measured.responses,
    ...(cpuMicros === undefined ? {} : { serverCpuMicrosPerRequest: cpuMicros }),
    ...(report.spansExported === undefined ? {} : { spansExported: report.spansExported }),
    ...(report.sessionChecks === undefined ? {} : { sessionChecks: report.sessionChecks }),
    ...(sinkReport === undefined ? {} : {
      sink: {
        traceExports: sinkReport.traceExports ?? 0,
        ...(sinkReport.spansStored === undefined ? {} : { spansStored: sinkReport.spansStored }),
        ...(sinkCpuMicros === undefined ? {} : { cpuMicrosPerRequest: sinkCpuMicros }),
      },
    }),
  };
}

/** Stops an OTLP receiver once its server has stopped, and returns what it reported. */
async function stopSink(sink: ServerProcess, label: string): Promise<ServerReport> {
  const { report, otherLines } = await sink.stop();
  for (const line of otherLines) showServerStderr(label, line);
  return report;
}

function showServerStderr(label: string, line: string): void {
  if (shownStderrLines.has(line)) return;
  shownStderrLines.add(line);
  console.error(`  [${label}] stderr: ${line}`);
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
  auth: RunningAuthApi | undefined,
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
      rounds[index]!.push(await measureTarget(target, autocannon, options, auth));
    }
  }
  return rounds;
}

/** Measures every round, and the session checks when a target is guarded, with `auth-api` up. */
async function measureAll(
  autocannon: Autocannon,
  options: BenchOptions,
): Promise<{ rounds: RoundResult[][]; sessionChecks?: SessionCheckCosts }> {
  if (!TARGETS.some((target) => target.guarded)) {
    return { rounds: await measureRounds(autocannon, options, undefined) };
  }
  console.error("▶ starting the OpenID Connect issuer and auth-api, signing a user in");
  const auth = authApi = await startSignedInAuthApi();
  try {
    const rounds = await measureRounds(autocannon, options, auth);
    console.error("▶ timing one session check: cached, uncached, service credential");
    return { rounds, sessionChecks: await measureSessionChecks(auth) };
  } finally {
    authApi = undefined;
    for (const line of await auth.close()) showServerStderr("auth-api", line);
  }
}

/** Measures the `netscript dev` runner's memory without and with the dashboard, on Linux. */
function measureRunnerMemory(): Promise<DashboardMemory | undefined> {
  if (Deno.build.os !== "linux") {
    console.error("▶ skipping the netscript dev runner's memory: it is read from /proc (Linux)");
    return Promise.resolve(undefined);
  }
  console.error(
    "▶ the netscript dev runner's memory: netscript init, then netscript dev without and with the dashboard",
  );
  return measureDashboardMemory();
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const autocannon = await loadAutocannon();
  const [loadAverageAtStart = 0] = Deno.loadavg();
  const { rounds, sessionChecks } = await measureAll(autocannon, options);
  const dashboardMemory = await measureRunnerMemory();
  const results = rounds.map(medianRound);
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
    ...(sessionChecks === undefined ? {} : { sessionChecks }),
    ...(dashboardMemory === undefined ? {} : { dashboardMemory }),
    notes: collectNotes(results, {
      loadAverage: loadAverageAtStart,
      connections: options.connections,
      sessionChecks,
    }),
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
    authApi?.kill();
    killDevRunner();
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
    authApi?.kill();
    killDevRunner();
    console.error("Benchmark failed:", error);
    Deno.exit(1);
  }
}
