import { deepEqual, equal } from "node:assert/strict";
import type { ResourceGraph } from "@netscript/plugin";
import type { ResourceState } from "./state_table.ts";
import { bannerTable, summarizeResources } from "./summarize_resources.ts";

const STATES: ResourceState[] = [
  { name: "db", kind: "store", pid: null, port: null, state: "ready", restarts: 0 },
  { name: "api", kind: "service", pid: 10, port: 3000, state: "running", restarts: 0 },
  { name: "hello-api", kind: "service", pid: 11, port: 8191, state: "running", restarts: 0 },
  { name: "ticker", kind: "processor", pid: 12, port: null, state: "running", restarts: 0 },
];
const GRAPH = {
  resources: [{ name: "hello-api", kind: "service", health: "/healthz" }],
} as unknown as ResourceGraph;

Deno.test("summarizeResources() gives each service its URLs and marks a moved port", () => {
  const summaries = summarizeResources(
    STATES,
    GRAPH,
    new Map([["hello-api", { from: 8190, reason: "port taken" }]]),
  );
  deepEqual(summaries[0], STATES[0], "a store keeps its state fields only");
  deepEqual(summaries[3], STATES[3], "a processor keeps its state fields only");
  deepEqual(summaries[1], {
    ...STATES[1],
    url: "http://127.0.0.1:3000",
    docs: "http://127.0.0.1:3000/api/docs",
    health: "http://127.0.0.1:3000/health",
  });
  deepEqual(summaries[2], {
    ...STATES[2],
    url: "http://127.0.0.1:8191",
    docs: "http://127.0.0.1:8191/api/docs",
    health: "http://127.0.0.1:8191/healthz",
    moved: { from: 8190, reason: "port taken" },
  });
});

Deno.test("summarizeResources() ignores a move back to the port asked for", () => {
  const [, api] = summarizeResources(
    STATES,
    GRAPH,
    new Map([["api", { from: 3000, reason: "port taken" }]]),
  );
  equal(api?.moved, undefined);
});

Deno.test("bannerTable() shows every resource, with the move in the port cell", () => {
  const { header, rows } = bannerTable(
    summarizeResources(
      STATES,
      GRAPH,
      new Map([["hello-api", { from: 8190, reason: "port taken" }]]),
    ),
  );
  deepEqual(header, ["RESOURCE", "KIND", "PID", "PORT", "STATE", "DOCS", "HEALTH"]);
  deepEqual(rows, [
    ["db", "store", "-", "-", "ready", "-", "-"],
    [
      "api",
      "service",
      "10",
      "3000",
      "running",
      "http://127.0.0.1:3000/api/docs",
      "http://127.0.0.1:3000/health",
    ],
    [
      "hello-api",
      "service",
      "11",
      "8191 (moved from 8190: port taken)",
      "running",
      "http://127.0.0.1:8191/api/docs",
      "http://127.0.0.1:8191/healthz",
    ],
    ["ticker", "processor", "12", "-", "running", "-", "-"],
  ]);
});
