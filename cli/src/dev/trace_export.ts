import type { ResourceGraph } from "@netscript/plugin";
import { withProcessEnv } from "./process_env.ts";

/**
 * Points every process of the graph at an OTLP/HTTP receiver: Deno's own
 * OpenTelemetry turned on (`OTEL_DENO=true`), spans sent as protobuf to
 * `endpoint` (Deno appends `/v1/traces`) within half a second of ending;
 * console output and metrics are not exported (the runner reads the output
 * from the pipes, and the dashboard shows no metrics). The runner's
 * dashboard is that receiver; without it the processes export nothing, as
 * before. Deno's exporter needs no permission in the process.
 *
 * @param graph The graph to run.
 * @param endpoint The receiver's base URL, e.g. `http://127.0.0.1:4400`.
 * @returns The graph with the variables added to each process.
 * @example
 * ```ts
 * import { withTraceExport } from "./trace_export.ts";
 *
 * const graph = withTraceExport({ resources: [] }, "http://127.0.0.1:4400");
 * console.log(graph.resources.length); // 0
 * ```
 */
export function withTraceExport(graph: ResourceGraph, endpoint: string): ResourceGraph {
  return withProcessEnv(graph, traceExportEnv(endpoint));
}

/**
 * The variables that make a Deno process export its spans to an OTLP/HTTP
 * receiver, as {@linkcode withTraceExport} sets them.
 *
 * @param endpoint The receiver's base URL.
 * @returns The variables.
 */
export function traceExportEnv(endpoint: string): Record<string, string> {
  return { ...TRACE_EXPORT_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
}

/** What every process gets besides the endpoint. */
const TRACE_EXPORT_ENV = {
  OTEL_DENO: "true",
  OTEL_DENO_CONSOLE: "ignore",
  OTEL_DENO_METRICS: "false",
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
  OTEL_BSP_SCHEDULE_DELAY: "500",
} as const;
