import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  buildResourceGraph,
  composeRegistry,
  defineConfig,
  isPluginManifest,
} from "@netscript/plugin";
import { assertPanelRoutes } from "@netscript/plugin/testing";
import { workersContract } from "../contracts/v1/mod.ts";
import { defineWorkersPlugin, workersManifest } from "./manifest.ts";

Deno.test("the workers manifest declares the API, the three processors and their permissions", () => {
  ok(isPluginManifest(workersManifest));
  deepEqual(workersManifest.services.map((s) => [s.name, s.port]), [["workers-api", 8091]]);
  deepEqual(
    workersManifest.processors.map((p) => [p.name, p.concurrency ?? 1]),
    [["workers-combined", 2], ["workers-worker", 2], ["workers-scheduler", 1]],
  );
  equal(workersManifest.dbSchemas[0]!.engine, "postgres");
});

Deno.test("jobPermissions reach only the processes that run jobs", () => {
  const manifest = defineWorkersPlugin({ jobPermissions: { net: ["api.mailgun.net"] } });
  const graph = buildResourceGraph(
    defineConfig({
      db: { engine: "sqlite" },
      cache: { backend: "deno-kv" },
      plugins: [],
      aspire: false,
    }),
    composeRegistry([{ file: "plugins/workers/plugin.ts", manifest }]),
  );
  const net = (name: string) => {
    const resource = graph.resources.find((r) => r.name === name);
    return resource && "flags" in resource
      ? resource.flags.find((f) => f.startsWith("--allow-net=")) ?? ""
      : "";
  };
  ok(net("workers-worker").includes("api.mailgun.net"));
  ok(net("workers-combined").includes("api.mailgun.net"));
  ok(!net("workers-api").includes("api.mailgun.net"));
  ok(!net("workers-scheduler").includes("api.mailgun.net"));
});

Deno.test("jobPermissions are validated: unknown permissions and env: true are refused", () => {
  for (const jobPermissions of [{ network: ["x"] }, { net: ["a,b"] }, { env: true }]) {
    throws(
      () => defineWorkersPlugin({ jobPermissions: jobPermissions as never }),
      (error) => isNetScriptError(error, "WORKERS_INVALID_PERMISSIONS"),
      JSON.stringify(jobPermissions),
    );
  }
});

Deno.test("the workers manifest is named like its package and reads jobs/ and schedules/", () => {
  equal(workersManifest.name, "@netscript/plugin-workers");
  deepEqual(workersManifest.definitions.map((d) => [d.folder, d.kind, d.builder]), [
    ["jobs", "job", "defineJob"],
    ["schedules", "schedule", "defineSchedule"],
  ]);
  const registry = composeRegistry([{
    file: "plugins/workers/plugin.ts",
    manifest: workersManifest,
  }]);
  equal(registry.plugins[0]!.slug, "workers");
  equal(registry.plugins[0]!.envPrefix, "WORKERS");
});

Deno.test("the workers manifest declares the jobs dashboard panel over workers-api's routes", () => {
  deepEqual(
    workersManifest.dashboardPanels.map((p) => [p.id, p.title, p.service]),
    [["jobs", "Jobs", "workers-api"]],
  );
  deepEqual(workersManifest.dashboardPanels[0]!.views.map((v) => [v.kind, v.path]), [
    ["counts", "/api/stats"],
    ["table", "/api/jobs?limit=50"],
    ["table", "/api/dead-letters?limit=50"],
  ]);
  assertPanelRoutes(workersManifest, workersContract);
});
