import { deepEqual } from "node:assert/strict";
import type { ProcessResource } from "@netscript/plugin";
import { affectedResources } from "./watch_workspace.ts";

const process = (name: string, entrypoint: string, plugin?: string): ProcessResource => ({
  name,
  kind: "service",
  ...(plugin === undefined ? {} : { plugin }),
  entrypoint,
  env: {},
  permissions: {},
  flags: [],
  waitFor: [],
  passEnv: [],
});

const processes = [
  process("api", "services/api/main.ts"),
  process("hello-api", "plugins/hello/services/main.ts", "@acme/plugin-hello"),
  process("hello-ticker", "plugins/hello/bin/ticker.ts", "@acme/plugin-hello"),
  process("billing-api", "plugins/billing/main.ts", "billing"),
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

Deno.test("affectedResources() restarts the processes of the plugin that reads a definitions folder", () => {
  const folders = new Map([["greetings", "@acme/plugin-hello"]]);
  deepEqual(
    affectedResources(root, ["/ws/greetings/morning.ts"], processes, folders),
    ["hello-api", "hello-ticker"],
  );
  deepEqual(
    affectedResources(root, ["/ws/greetings.ts"], processes, folders),
    processes.map((p) => p.name),
    "a file named like the folder is a shared file",
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
      "/ws/.netscript/definitions/hello.ts",
      "/ws/.netscript/data/app.db",
      "/ws/aspire/apphost.mts",
      "/ws/node_modules/x/index.js",
      "/ws/README.md",
      "/ws/plugins/hello/notes.txt",
      "/elsewhere/x.ts",
    ]
  ) deepEqual(affectedResources(root, [path], processes), [], path);
});
