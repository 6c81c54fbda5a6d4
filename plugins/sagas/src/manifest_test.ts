import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  buildResourceGraph,
  composeRegistry,
  defineConfig,
  type DenoPermissions,
  isPluginManifest,
  type PluginManifest,
} from "@netscript/plugin";
import { workersManifest } from "@netscript/plugin-workers";
import { assertPanelRoutes } from "@netscript/plugin/testing";
import { sagasContract } from "../contracts/v1/mod.ts";
import { defineSagasPlugin, sagasManifest } from "./manifest.ts";

/** The resources of a workspace with `manifest` and the workers plugin, by name. */
function resourcesOf(manifest: PluginManifest) {
  const graph = buildResourceGraph(
    defineConfig({
      db: { engine: "sqlite" },
      cache: { backend: "deno-kv" },
      plugins: [],
      aspire: false,
    }),
    composeRegistry([
      { file: "plugins/workers/plugin.ts", manifest: workersManifest },
      { file: "plugins/sagas/plugin.ts", manifest },
    ]),
  );
  return new Map(graph.resources.map((r) => [r.name, r]));
}

Deno.test("the sagas manifest declares sagas-api on 8092, saga-runner, sagas/, its tables, contract, topic and the workers requirement", () => {
  ok(isPluginManifest(sagasManifest));
  equal(sagasManifest.name, "@netscript/plugin-sagas");
  equal(sagasManifest.type, "background-processor");
  deepEqual(sagasManifest.services.map((s) => [s.name, s.port, s.entrypoint]), [
    ["sagas-api", 8092, "./services/src/main.ts"],
  ]);
  deepEqual(sagasManifest.processors.map((p) => [p.name, p.entrypoint, p.concurrency]), [
    ["saga-runner", "./bin/runner.ts", 16],
  ]);
  deepEqual(sagasManifest.definitions.map((d) => [d.folder, d.kind, d.builder]), [
    ["sagas", "saga", "defineSaga"],
  ]);
  deepEqual(sagasManifest.dbSchemas, [{ path: "./database/sagas.prisma", engine: "postgres" }]);
  deepEqual(sagasManifest.contractVersions.map((c) => c.version), ["v1"]);
  deepEqual(sagasManifest.runtimeConfigTopics.map((t) => [t.name, t.schemaPath]), [
    ["sagas", "./runtime/sagas.schema.json"],
  ]);
  equal(sagasManifest.telemetry?.namespace, "sagas");
  deepEqual(sagasManifest.requires, ["@netscript/plugin-workers"]);
});

Deno.test("saga-runner reads the job store and gets the step permissions; sagas-api gets neither", () => {
  const resources = resourcesOf(
    defineSagasPlugin({ stepPermissions: { net: ["api.stripe.com"] } }),
  );
  const api = resources.get("sagas-api") as { passEnv: readonly string[]; permissions: unknown };
  const runner = resources.get("saga-runner") as typeof api;
  for (const name of ["SAGAS_STORE", "SAGAS_KV_PATH", "SAGAS_LOG_LEVEL"]) {
    ok(api.passEnv.includes(name), `sagas-api: ${name}`);
    ok(runner.passEnv.includes(name), `saga-runner: ${name}`);
  }
  for (const name of ["WORKERS_STORE", "WORKERS_KV_PATH", "WORKERS_REDIS_URL"]) {
    ok(runner.passEnv.includes(name), `saga-runner: ${name}`);
    ok(!api.passEnv.includes(name), `sagas-api: not ${name}`);
  }
  ok(JSON.stringify(runner.permissions).includes("api.stripe.com"));
  ok(!JSON.stringify(api.permissions).includes("api.stripe.com"));
});

Deno.test("defineSagasPlugin() refuses malformed step permissions and env: true", () => {
  for (
    const stepPermissions of [
      { env: true },
      { net: 5 },
      { bogus: true },
    ] as unknown as DenoPermissions[]
  ) {
    throws(
      () => defineSagasPlugin({ stepPermissions }),
      (error) =>
        isNetScriptError(error, "SAGAS_INVALID_PERMISSIONS") &&
        error.message.startsWith("Invalid stepPermissions in defineSagasPlugin: "),
      JSON.stringify(stepPermissions),
    );
  }
});

Deno.test("the sagas manifest composes with the workers manifest without conflicts", () => {
  const registry = composeRegistry([
    { file: "plugins/workers/plugin.ts", manifest: workersManifest },
    { file: "plugins/sagas/plugin.ts", manifest: sagasManifest },
  ]);
  const sagas = registry.plugins.find((p) => p.name === "@netscript/plugin-sagas");
  equal(sagas?.slug, "sagas");
  equal(sagas?.envPrefix, "SAGAS");
  deepEqual(
    registry.services.map((s) => [s.name, s.port]).sort(),
    [["sagas-api", 8092], ["workers-api", 8091]],
  );
  deepEqual(registry.definitions.map((d) => d.folder).sort(), ["jobs", "sagas", "schedules"]);
  deepEqual(registry.runtimeConfigTopics.map((t) => t.name).sort(), ["sagas", "workers"]);
});

Deno.test("the sagas manifest needs the workers plugin", () => {
  throws(
    () => composeRegistry([{ file: "plugins/sagas/plugin.ts", manifest: sagasManifest }]),
    (error) => isNetScriptError(error) && error.message.includes("@netscript/plugin-workers"),
  );
});

Deno.test("the sagas manifest declares the sagas dashboard panel over sagas-api's routes, opening on a saga's steps", () => {
  deepEqual(
    sagasManifest.dashboardPanels.map((p) => [p.id, p.title, p.service]),
    [["sagas", "Sagas", "sagas-api"]],
  );
  const [counts, sagas] = sagasManifest.dashboardPanels[0]!.views;
  deepEqual([counts?.kind, counts?.path], ["counts", "/api/stats"]);
  equal(sagas?.kind === "table" ? sagas.detail?.list : undefined, "steps");
  assertPanelRoutes(sagasManifest, sagasContract);
});
