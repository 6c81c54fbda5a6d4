/**
 * The `netscript dev` dashboard as the processes' OTLP/HTTP receiver:
 * `startDashboard` with the stores the runner gives it (an empty log store,
 * a trace store with its default caps), so every export goes through the
 * dashboard's own routing, decoding and storing. No process runs under it,
 * so it has no resources and no panels. It counts the trace exports that
 * held spans and the spans it handed the store; SIGTERM closes it and
 * writes both counts.
 *
 * @module
 */
import { startDashboard } from "../../../cli/src/dashboard/dashboard_server.ts";
import { createLogStore } from "../../../cli/src/dashboard/log_store.ts";
import { createUsageSampler } from "../../../cli/src/dashboard/process_usage.ts";
import { createTraceStore, type TraceStore } from "../../../cli/src/dashboard/trace_store.ts";
import { parseServerArgs, writeServerReport } from "./server_protocol.ts";

const { port } = parseServerArgs(Deno.args);
const store = createTraceStore();
let traceExports = 0;
let spansStored = 0;
const traces: TraceStore = {
  ...store,
  add(spans) {
    traceExports++;
    spansStored += spans.length;
    store.add(spans);
  },
};
const noProcess = () => Promise.reject(new Error("The benchmark's dashboard runs no process"));

const dashboard = startDashboard({
  workspace: "bench",
  resources: () => [],
  restart: noProcess,
  stop: noProcess,
  logs: createLogStore(),
  traces,
  panels: [],
  transport: { serviceUrl: () => undefined, authorization: () => Promise.resolve("") },
  usage: createUsageSampler(),
  onError: (message) => console.error(message),
}, port);

Deno.addSignalListener("SIGTERM", async () => {
  await dashboard.close();
  writeServerReport({ traceExports, spansStored });
  Deno.exit(0);
});
