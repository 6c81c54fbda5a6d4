import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  buildResourceGraph,
  composeRegistry,
  defineConfig,
  isPluginManifest,
  type PluginManifest,
} from "@netscript/plugin";
import { workersManifest } from "@netscript/plugin-workers";
import { assertPanelRoutes } from "@netscript/plugin/testing";
import { triggersContract } from "../contracts/v1/mod.ts";
import { defineTriggersPlugin, triggersManifest } from "./manifest.ts";

/** The variables each process of a workspace with `manifest` and the workers plugin is passed. */
function passEnvOf(manifest: PluginManifest): Map<string, readonly string[]> {
  const graph = buildResourceGraph(
    defineConfig({
      db: { engine: "sqlite" },
      cache: { backend: "deno-kv" },
      plugins: [],
      aspire: false,
    }),
    composeRegistry([
      { file: "plugins/workers/plugin.ts", manifest: workersManifest },
      { file: "plugins/triggers/plugin.ts", manifest },
    ]),
  );
  return new Map(
    graph.resources.flatMap((r) => "passEnv" in r ? [[r.name, r.passEnv] as const] : []),
  );
}

Deno.test("the triggers manifest declares triggers-api on 8093, trigger-processor, its definitions, tables, contract and config topic", () => {
  ok(isPluginManifest(triggersManifest));
  equal(triggersManifest.name, "@netscript/plugin-triggers");
  equal(triggersManifest.type, "background-processor");
  deepEqual(triggersManifest.services.map((s) => [s.name, s.port]), [["triggers-api", 8093]]);
  deepEqual(triggersManifest.processors.map((p) => p.name), ["trigger-processor"]);
  deepEqual(triggersManifest.definitions.map((d) => [d.folder, d.kind, d.builder]), [
    ["triggers", "trigger", ["defineWebhook", "defineCron", "defineEvent"]],
  ]);
  deepEqual(triggersManifest.dbSchemas, [
    { path: "./database/triggers.prisma", engine: "postgres" },
  ]);
  deepEqual(triggersManifest.contractVersions.map((c) => c.version), ["v1"]);
  deepEqual(triggersManifest.runtimeConfigTopics.map((t) => t.name), ["triggers"]);
});

Deno.test("triggers-api may read WEBHOOK_* and the secretEnv names; trigger-processor reads the job and saga stores and no secret", () => {
  const env = passEnvOf(
    defineTriggersPlugin({ secretEnv: ["GITHUB_WEBHOOK_SECRET", "STRIPE_*"] }),
  );
  const api = env.get("triggers-api") ?? [];
  for (const name of ["WEBHOOK_*", "GITHUB_WEBHOOK_SECRET", "STRIPE_*", "TRIGGERS_STORE"]) {
    ok(api.includes(name), `triggers-api: ${name} in ${api}`);
  }
  const processor = env.get("trigger-processor") ?? [];
  for (
    const name of [
      "WORKERS_STORE",
      "WORKERS_KV_PATH",
      "WORKERS_REDIS_URL",
      "TRIGGERS_STORE",
      "SAGAS_STORE",
      "SAGAS_KV_PATH",
    ]
  ) {
    ok(processor.includes(name), `trigger-processor: ${name} in ${processor}`);
  }
  ok(!api.includes("SAGAS_STORE"), "triggers-api starts no saga");
  for (const name of ["WEBHOOK_*", "GITHUB_WEBHOOK_SECRET", "STRIPE_*"]) {
    ok(!processor.includes(name), `trigger-processor: ${name} not in ${processor}`);
  }
});

Deno.test("defineTriggersPlugin() refuses a secretEnv entry that is not a variable name", () => {
  for (const secretEnv of [["GITHUB-SECRET"], ["*"], ["A*B"], [""], ["OK", "1BAD"]]) {
    throws(
      () => defineTriggersPlugin({ secretEnv }),
      (error) =>
        isNetScriptError(error, "TRIGGERS_INVALID_PLUGIN_OPTIONS") &&
        secretEnv.filter((name) => name !== "OK").every((name) =>
          error.message.includes(JSON.stringify(name))
        ),
      JSON.stringify(secretEnv),
    );
  }
});

Deno.test("the triggers manifest requires the workers plugin only: sagas are optional", () => {
  deepEqual(triggersManifest.requires, ["@netscript/plugin-workers"]);
});

Deno.test("the triggers manifest composes with the workers manifest without conflicts", () => {
  const registry = composeRegistry([
    { file: "plugins/workers/plugin.ts", manifest: workersManifest },
    { file: "plugins/triggers/plugin.ts", manifest: triggersManifest },
  ]);
  const triggers = registry.plugins.find((p) => p.name === "@netscript/plugin-triggers");
  equal(triggers?.slug, "triggers");
  equal(triggers?.envPrefix, "TRIGGERS");
  deepEqual(
    registry.services.map((s) => [s.name, s.port]).sort(),
    [["triggers-api", 8093], ["workers-api", 8091]],
  );
  deepEqual(
    registry.definitions.map((d) => d.folder).sort(),
    ["jobs", "schedules", "triggers"],
  );
  deepEqual(
    registry.runtimeConfigTopics.map((t) => t.name).sort(),
    ["triggers", "workers"],
  );
});

Deno.test("the triggers manifest declares the triggers dashboard panel over triggers-api's routes", () => {
  deepEqual(
    triggersManifest.dashboardPanels.map((p) => [p.id, p.title, p.service]),
    [["triggers", "Triggers", "triggers-api"]],
  );
  deepEqual(triggersManifest.dashboardPanels[0]!.views.map((v) => [v.kind, v.path]), [
    ["counts", "/api/stats"],
    ["table", "/api/deliveries?limit=50"],
    ["table", "/api/triggers"],
  ]);
  assertPanelRoutes(triggersManifest, triggersContract);
});
