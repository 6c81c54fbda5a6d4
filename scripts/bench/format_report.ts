/**
 * Prints the benchmark's report for people: a header with the load shape and
 * the machine, the table, the ratios with goals (NetScript ÷ bare oRPC and ÷
 * raw Deno.serve, guarded ÷ unguarded, the p50 latency of exporting spans to
 * the dev dashboard ÷ to a discarding receiver) with their verdicts, what
 * one session check costs, the `netscript dev` runner's memory without and
 * with the dashboard, and the notes.
 *
 * @module
 */
import type { DashboardMemory } from "./dashboard_memory.ts";
import type { BenchReport, Ratio, TargetResult } from "./report.ts";
import type { CallCost, SessionCheckCosts } from "./session_check.ts";
import type { TargetId } from "./targets.ts";

/**
 * Formats the report as a table with ratios and notes.
 *
 * @param report The report.
 * @returns Printable text.
 */
export function formatReport(report: BenchReport): string {
  const { settings, machine } = report;
  const lines = [
    `HTTP benchmark: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per target, ${
      _rounds(settings.rounds)
    }, ${settings.loadGenerator}`,
    `Deno ${machine.deno} (V8 ${machine.v8}), ${machine.os}/${machine.arch}, ${machine.cpus} CPUs (${machine.cpuModel}), load average ${
      machine.loadAverageAtStart.toFixed(2)
    } at start`,
    "",
    ..._table(report.results, report.ratios),
    "",
    ...report.ratios.filter((ratio) => ratio.to !== "deno" || ratio.goal !== undefined).map(
      _formatRatio,
    ),
    ...(report.sessionChecks === undefined ? [] : ["", ..._sessionChecks(report.sessionChecks)]),
    ...(report.dashboardMemory === undefined
      ? []
      : ["", ..._dashboardMemory(report.dashboardMemory)]),
    "",
    ...report.notes.map((note) => `- ${note}`),
  ];
  return lines.join("\n");
}

function _sessionChecks(costs: SessionCheckCosts): string[] {
  const { uncached, request } = costs;
  const authApiCpu = uncached.authApiCpuMicros === undefined
    ? ""
    : `, auth-api ${uncached.authApiCpuMicros.toFixed(0)} µs`;
  return [
    "One session check (Guard.authenticate, one call at a time in the benchmark process):",
    `  cached, revocation feed connected:     ${_cost(costs.cached)}`,
    `  uncached (cacheTtlMs: 0), auth-api:    ${_cost(uncached)}`,
    `    single calls p50 ${uncached.p50Micros.toFixed(0)} µs, p99 ${
      uncached.p99Micros.toFixed(0)
    } µs; CPU per check: guard ${uncached.guardCpuMicros.toFixed(0)} µs${authApiCpu}`,
    `  service credential, cached:            ${_cost(costs.serviceCredentialCached)}`,
    `  service credential, first use (HS256): ${_cost(costs.serviceCredentialVerify)}`,
    `  in a request (service.fetch of the ping call, no HTTP, median of ${request.blocks} blocks of ${
      request.callsPerBlock.toLocaleString("en-US")
    }):`,
    `    ${request.unguardedMicros.toFixed(1)} µs unguarded, ${
      request.guardedMicros.toFixed(1)
    } µs guarded, a difference of ${
      (request.guardedMicros - request.unguardedMicros).toFixed(1)
    } µs: guarded ÷ unguarded ${
      (request.unguardedMicros / request.guardedMicros).toFixed(2)
    } by time per call`,
  ];
}

function _dashboardMemory(memory: DashboardMemory): string[] {
  const { withoutDashboard: without, withDashboard: within, idleSeconds } = memory;
  const reading = (
    label: string,
    at: "afterLoad" | "settled",
  ): string[] => {
    const added = within[at].privateKib - without[at].privateKib;
    const verdict = memory.met[at] ? "met" : `MISSED by ${_mib(added - memory.goalKib)}`;
    return [
      `  ${label}:`,
      `    --no-dashboard:                   ${_mib(without[at].privateKib)} private, ${
        _mib(without[at].rssKib)
      } RSS`,
      `    with the dashboard and receiver:  ${_mib(within[at].privateKib)} private, ${
        _mib(within[at].rssKib)
      } RSS`,
      `    the dashboard adds ${_mib(added)} private (target ≤ ${
        _mib(memory.goalKib)
      }: ${verdict}), ${_mib(within[at].rssKib - without[at].rssKib)} RSS`,
    ];
  };
  return [
    `The netscript dev runner's memory (the runner process only; private = Private_Clean + Private_Dirty) after ${
      memory.requests.toLocaleString("en-US")
    } GET ${memory.route} to the app's service and ${memory.pageLoads} loads of ${
      memory.pages.join(", ")
    } with the dashboard:`,
    ...reading(
      `${idleSeconds.afterLoad} s after the load (V8 still holds the burst's garbage)`,
      "afterLoad",
    ),
    ...reading(
      `settled: the lowest reading, once a second until ${idleSeconds.settled} s after the load`,
      "settled",
    ),
  ];
}

function _mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

function _cost(cost: CallCost): string {
  const digits = cost.micros < 10 ? 2 : 0;
  return `${cost.micros.toFixed(digits)} µs per call (mean of ${
    cost.calls.toLocaleString("en-US")
  } calls)`;
}

function _table(results: readonly TargetResult[], ratios: readonly Ratio[]): string[] {
  const toDeno = (id: TargetId) => ratios.find((ratio) => ratio.of === id && ratio.to === "deno");
  const rows = [["Target", "req/s", "p50 ms", "p99 ms", "÷ Deno.serve", "server CPU µs/req"]];
  for (const result of results) {
    rows.push([
      result.label,
      Math.round(result.requestsPerSecond).toLocaleString("en-US"),
      result.latencyP50Ms.toFixed(2),
      result.latencyP99Ms.toFixed(2),
      toDeno(result.id)?.value.toFixed(2) ?? "n/a",
      result.serverCpuMicrosPerRequest?.toFixed(0) ?? "n/a",
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)
    )
      .join("   ")
  );
}

function _formatRatio(ratio: Ratio): string {
  const perRound = ratio.everyRound === undefined
    ? ""
    : `; per round ${ratio.everyRound.map((value) => value.toFixed(2)).join(" / ")}`;
  const byCpu =
    (ratio.byCpu === undefined ? "" : `; by server CPU per request ${ratio.byCpu.toFixed(2)}`) +
    perRound;
  if (ratio.goal === undefined) {
    return `${ratio.label}: ${ratio.value.toFixed(2)} (no target${byCpu})`;
  }
  const verdict = ratio.met ? "met" : `MISSED by ${Math.abs(ratio.goal - ratio.value).toFixed(2)}`;
  return `${ratio.label}: ${ratio.value.toFixed(2)} (target ${
    ratio.measure === "latency" ? "≤" : "≥"
  } ${ratio.goal.toFixed(2)}: ${verdict}${byCpu})`;
}

function _rounds(rounds: number): string {
  return rounds === 1 ? "1 round" : `median of ${rounds} rounds`;
}
