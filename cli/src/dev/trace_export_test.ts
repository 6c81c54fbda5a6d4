import { deepEqual } from "node:assert/strict";
import type { ResourceGraph } from "@netscript/plugin";
import { withTraceExport } from "./trace_export.ts";

Deno.test("withTraceExport() points every process, and no store, at the receiver", () => {
  const graph: ResourceGraph = {
    resources: [
      { name: "cache", kind: "store", engine: "deno-kv", embedded: true, file: "kv" },
      {
        name: "api",
        kind: "service",
        entrypoint: "main.ts",
        port: 3000,
        env: { PORT: "3000", OTEL_SERVICE_NAME: "api" },
        permissions: {},
        flags: [],
        waitFor: [],
        passEnv: [],
      },
    ],
  };
  const [store, api] = withTraceExport(graph, "http://127.0.0.1:4400").resources;
  deepEqual(store, graph.resources[0]);
  if (api?.kind !== "service") throw new Error("the service is missing");
  deepEqual(api.env, {
    PORT: "3000",
    OTEL_SERVICE_NAME: "api",
    OTEL_DENO: "true",
    OTEL_DENO_CONSOLE: "ignore",
    OTEL_DENO_METRICS: "false",
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_BSP_SCHEDULE_DELAY: "500",
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4400",
  });
});
