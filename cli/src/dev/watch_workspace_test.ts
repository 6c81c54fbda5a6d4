import { deepEqual } from "node:assert/strict";
import type { ProcessResource } from "@netscript/plugin";
import { affectedResources } from "./watch_workspace.ts";

const process = (name: string, entrypoint: string): ProcessResource => ({
  name,
  kind: "service",
  entrypoint,
  env: {},
  permissions: {},
  flags: [],
  waitFor: [],
  passEnv: [],
});

const processes = [
  process("api", "services/api/main.ts"),
  process("hello-api", "plugins/hello/services/main.ts"),
  process("hello-ticker", "plugins/hello/bin/ticker.ts"),
  process("billing-api", "plugins/billing/main.ts"),
];
const root = "/ws";

Deno.test("affectedResources() restarts the processes whose folder changed", () => {
  deepEqual(affectedResources(root, ["/ws/plugins/hello/src/greet.ts"], processes), [
    "hello-api",
    "hello-ticker",
  ]);
  deepEqual(affectedResources(root, ["/ws/services/api/routes.ts"], processes), ["api"]);
  deepEqual(
    affectedResources(root, ["/ws/plugins/billing/main.ts", "/ws/services/api/main.ts"], processes),
    ["api", "billing-api"],
  );
});

Deno.test("affectedResources() restarts everything for shared files", () => {
  const all = processes.map((p) => p.name);
  deepEqual(affectedResources(root, ["/ws/contracts/v1.ts"], processes), all);
  deepEqual(affectedResources(root, ["/ws/deno.json"], processes), all);
  deepEqual(affectedResources(root, ["/ws/plugins/unknown/x.ts"], processes), all);
});

Deno.test("affectedResources() ignores generated files, the AppHost, data and non-source files", () => {
  for (
    const path of [
      "/ws/.netscript/registry.ts",
      "/ws/.netscript/data/app.db",
      "/ws/aspire/apphost.mts",
      "/ws/node_modules/x/index.js",
      "/ws/README.md",
      "/ws/plugins/hello/notes.txt",
      "/elsewhere/x.ts",
    ]
  ) deepEqual(affectedResources(root, [path], processes), [], path);
});
