import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError, type NetScriptError } from "@netscript/contracts";
import { composeRegistry, definePlugin, type ManifestSource, PLUGIN_ERROR_CODES } from "./mod.ts";

const source = (file: string, manifest: ManifestSource["manifest"]): ManifestSource => ({
  manifest,
  file,
});

const alpha = source(
  "plugins/alpha/plugin.ts",
  definePlugin("alpha", "1.0.0")
    .withType("background-processor")
    .withService({ name: "alpha-api", entrypoint: "./services/main.ts", port: 8101 })
    .withBackgroundProcessor({
      name: "alpha-worker",
      entrypoint: "./bin/worker.ts",
      permissions: { net: ["localhost:5432"] },
    })
    .withDbSchemas([{ path: "./database/alpha.prisma", engine: "postgres" }])
    .withStreamTopics([{ name: "alpha.events", schemaPath: "./streams/events.schema.json" }])
    .withDefinitions([{ folder: "alphas", kind: "alpha", builder: "defineAlpha" }])
    .withRuntimeConfigTopics([{ name: "alpha", schemaPath: "./runtime/alpha.schema.json" }])
    .withContractVersions([{ version: "v1", loader: () => Promise.resolve("alpha v1") }])
    .withTelemetry({ namespace: "alpha" })
    .withAspire("./src/aspire/mod.ts")
    .withDashboardPanels([{
      id: "alphas",
      title: "Alphas",
      service: "alpha-api",
      views: [{ kind: "counts", title: "By state", path: "/api/stats" }],
    }])
    .build(),
);
const zeta = source(
  "plugins/zeta/plugin.ts",
  definePlugin("zeta", "2.0.0")
    .withType("service")
    .withService({ name: "zeta-api", entrypoint: "./main.ts", port: 8102 })
    .build(),
);

Deno.test("composeRegistry() resolves every contribution against its plugin folder", () => {
  const registry = composeRegistry([zeta, alpha]);
  deepEqual(registry.plugins.map((p) => [p.name, p.directory, p.type]), [
    ["alpha", "plugins/alpha", "background-processor"],
    ["zeta", "plugins/zeta", "service"],
  ]);
  equal(registry.plugins[0]!.aspire, "plugins/alpha/src/aspire/mod.ts");
  deepEqual(registry.plugins[0]!.telemetry, { namespace: "alpha" });
  equal(registry.plugins[0]!.slug, "alpha");
  equal(registry.plugins[0]!.envPrefix, "ALPHA");
  deepEqual(registry.definitions, [
    { plugin: "alpha", folder: "alphas", kind: "alpha", builder: "defineAlpha" },
  ]);
  deepEqual(registry.streamTopics, [
    {
      plugin: "alpha",
      name: "alpha.events",
      schemaPath: "plugins/alpha/streams/events.schema.json",
    },
  ]);
  deepEqual(registry.services, [
    {
      plugin: "alpha",
      name: "alpha-api",
      entrypoint: "plugins/alpha/services/main.ts",
      permissions: {},
      port: 8101,
    },
    {
      plugin: "zeta",
      name: "zeta-api",
      entrypoint: "plugins/zeta/main.ts",
      permissions: {},
      port: 8102,
    },
  ]);
  deepEqual(registry.processors, [{
    plugin: "alpha",
    name: "alpha-worker",
    entrypoint: "plugins/alpha/bin/worker.ts",
    permissions: { net: ["localhost:5432"] },
    concurrency: 1,
  }]);
  deepEqual(registry.dbSchemas, [
    { plugin: "alpha", path: "plugins/alpha/database/alpha.prisma", engine: "postgres" },
  ]);
  deepEqual(registry.runtimeConfigTopics, [
    { plugin: "alpha", name: "alpha", schemaPath: "plugins/alpha/runtime/alpha.schema.json" },
  ]);
  equal(registry.contractVersions[0]!.version, "v1");
  deepEqual(registry.dashboardPanels, [{
    plugin: "alpha",
    id: "alphas",
    title: "Alphas",
    service: "alpha-api",
    views: [{ kind: "counts", title: "By state", path: "/api/stats" }],
  }]);
});

Deno.test("composeRegistry() of no plugins is an empty registry", () => {
  deepEqual(composeRegistry([]), {
    plugins: [],
    services: [],
    processors: [],
    dbSchemas: [],
    definitions: [],
    streamTopics: [],
    runtimeConfigTopics: [],
    contractVersions: [],
    dashboardPanels: [],
  });
});

function expectConflict(
  sources: ManifestSource[],
  code: string,
  ...fragments: RegExp[]
): NetScriptError {
  let caught: NetScriptError | undefined;
  throws(() => composeRegistry(sources), (error: unknown) => {
    ok(isNetScriptError(error, code), `expected ${code}, got ${String(error)}`);
    for (const fragment of fragments) match(error.message, fragment);
    caught = error;
    return true;
  });
  return caught!;
}

Deno.test("composeRegistry() rejects conflicts, naming both contributors", async (t) => {
  await t.step("two plugins with one name", () => {
    const twin = source("plugins/alpha-legacy/plugin.ts", definePlugin("alpha", "0.9.0").build());
    const error = expectConflict(
      [alpha, twin],
      "PLUGIN_DUPLICATE_NAME",
      /plugins\/alpha\b/,
      /plugins\/alpha-legacy/,
      /rename one of them/,
    );
    deepEqual(error.details.files, ["plugins/alpha-legacy/plugin.ts", "plugins/alpha/plugin.ts"]);
  });
  await t.step("two services with one name", () => {
    const other = source(
      "plugins/zulu/plugin.ts",
      definePlugin("zulu", "1.0.0").withService({
        name: "alpha-api",
        entrypoint: "./m.ts",
        port: 9000,
      })
        .build(),
    );
    const error = expectConflict(
      [other, alpha],
      "PLUGIN_DUPLICATE_SERVICE",
      /plugins\/alpha/,
      /plugins\/zulu/,
      /"alpha-api"/,
    );
    deepEqual(error.details.plugins, ["alpha", "zulu"]);
  });
  await t.step("two processors with one name", () => {
    const other = source(
      "plugins/zulu/plugin.ts",
      definePlugin("zulu", "1.0.0").withBackgroundProcessor({
        name: "alpha-worker",
        entrypoint: "./w.ts",
      })
        .build(),
    );
    expectConflict([alpha, other], "PLUGIN_DUPLICATE_PROCESSOR", /plugins\/alpha/, /plugins\/zulu/);
  });
  await t.step("a processor named like another plugin's service", () => {
    const other = source(
      "plugins/zulu/plugin.ts",
      definePlugin("zulu", "1.0.0").withBackgroundProcessor({
        name: "alpha-api",
        entrypoint: "./w.ts",
      })
        .build(),
    );
    expectConflict([alpha, other], "PLUGIN_DUPLICATE_RESOURCE", /plugins\/alpha/, /plugins\/zulu/);
  });
  await t.step("two services on one port", () => {
    const other = source(
      "plugins/zeta/plugin.ts",
      definePlugin("zeta", "1.0.0").withService({
        name: "zeta-api",
        entrypoint: "./m.ts",
        port: 8101,
      })
        .build(),
    );
    const error = expectConflict(
      [other, alpha],
      "PLUGIN_DUPLICATE_PORT",
      /port 8101/,
      /plugins\/alpha/,
      /plugins\/zeta/,
      /change one of the ports/,
    );
    equal(error.details.value, 8101);
  });
  await t.step("a stream topic claimed twice", () => {
    const other = source(
      "plugins/zeta/plugin.ts",
      definePlugin("zeta", "1.0.0").withStreamTopics([{
        name: "alpha.events",
        schemaPath: "./e.json",
      }]).build(),
    );
    expectConflict(
      [alpha, other],
      "PLUGIN_DUPLICATE_STREAM_TOPIC",
      /"alpha\.events"/,
      /plugins\/zeta/,
    );
  });
  await t.step("a definitions folder claimed twice", () => {
    const other = source(
      "plugins/zeta/plugin.ts",
      definePlugin("zeta", "1.0.0").withDefinitions([{ folder: "alphas", kind: "z" }]).build(),
    );
    expectConflict(
      [alpha, other],
      "PLUGIN_DUPLICATE_DEFINITIONS_FOLDER",
      /"alphas\/"/,
      /plugins\/alpha/,
      /plugins\/zeta/,
    );
  });
  await t.step("two package names with one slug", () => {
    const one = source(
      "plugins/billing/plugin.ts",
      definePlugin("@acme/plugin-billing", "1.0.0").build(),
    );
    const two = source(
      "plugins/billing-2/plugin.ts",
      definePlugin("@other/plugin-billing", "1.0.0").build(),
    );
    expectConflict([one, two], "PLUGIN_DUPLICATE_NAME", /"billing"/, /@acme/, /@other/);
  });
  await t.step("a config topic claimed twice", () => {
    const other = source(
      "plugins/zeta/plugin.ts",
      definePlugin("zeta", "1.0.0").withRuntimeConfigTopics([{
        name: "alpha",
        schemaPath: "./s.json",
      }])
        .build(),
    );
    expectConflict(
      [alpha, other],
      "PLUGIN_DUPLICATE_CONFIG_TOPIC",
      /"alpha"/,
      /plugins\/alpha/,
      /plugins\/zeta/,
    );
  });
  await t.step("a dashboard panel id claimed twice", () => {
    const other = source(
      "plugins/zeta/plugin.ts",
      definePlugin("zeta", "1.0.0")
        .withService({ name: "zeta-api", entrypoint: "./m.ts", port: 8102 })
        .withDashboardPanels([{
          id: "alphas",
          title: "Zeta alphas",
          service: "zeta-api",
          views: [{ kind: "counts", title: "Counts", path: "/api/counts" }],
        }])
        .build(),
    );
    const error = expectConflict(
      [other, alpha],
      "PLUGIN_DUPLICATE_DASHBOARD_PANEL",
      /Cannot register dashboard panel "alphas" of plugin "zeta" \(plugins\/zeta\)/,
      /already used by dashboard panel "alphas" of plugin "alpha" \(plugins\/alpha\)/,
      /change the id of one of them/,
    );
    deepEqual(error.details.plugins, ["alpha", "zeta"]);
    deepEqual(error.details.files, ["plugins/alpha/plugin.ts", "plugins/zeta/plugin.ts"]);
  });
});

const NAMES = ["alpha", "beta", "gamma", "delta"];
const arbitrarySource = fc.record({
  dir: fc.constantFrom(...NAMES, "extra"),
  name: fc.constantFrom(...NAMES),
  services: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("public", "admin", "web"),
      port: fc.integer({ min: 8000, max: 8004 }),
    }),
    { selector: (s) => s.name, maxLength: 2 },
  ),
  processors: fc.uniqueArray(fc.constantFrom("worker", "scheduler"), { maxLength: 2 }),
  topics: fc.uniqueArray(fc.constantFrom("orders", "users"), { maxLength: 2 }),
  panels: fc.uniqueArray(fc.constantFrom("overview", "queue"), { maxLength: 2 }),
}).map(({ dir, name, services, processors, topics, panels }) => {
  let builder = definePlugin(name, "1.0.0").withStreamTopics(
    topics.map((t) => ({ name: `${name}.${t}`, schemaPath: "./e.json" })),
  );
  const ports = new Set<number>();
  for (const service of services) {
    if (ports.has(service.port)) continue;
    ports.add(service.port);
    builder = builder.withService({
      name: service.name,
      entrypoint: "./main.ts",
      port: service.port,
    }) as never;
  }
  for (const processor of processors) {
    builder = builder.withBackgroundProcessor({ name: processor, entrypoint: "./bin.ts" }) as never;
  }
  const service = services[0];
  if (service) {
    builder = builder.withDashboardPanels(panels.map((id) => ({
      id,
      title: id,
      service: service.name,
      views: [{ kind: "counts", title: "Counts", path: "/api/stats" }],
    })));
  }
  return source(`plugins/${dir}/plugin.ts`, builder.build());
});

function outcome(sources: readonly ManifestSource[]): unknown {
  try {
    return JSON.parse(JSON.stringify(composeRegistry(sources)));
  } catch (error) {
    ok(isNetScriptError(error), String(error));
    return { code: error.code, message: error.message, details: error.details };
  }
}

Deno.test("composeRegistry() gives the same result, or the same error, in any input order", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(arbitrarySource, { maxLength: 5, selector: (s) => s.file }).chain((sources) =>
        fc.tuple(fc.constant(sources), fc.shuffledSubarray(sources, { minLength: sources.length }))
      ),
      ([sources, shuffled]) => {
        deepEqual(outcome(shuffled), outcome(sources));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("composeRegistry() accepts a set of plugins exactly when no two contributions collide", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(arbitrarySource, { maxLength: 4, selector: (s) => s.file }),
      (sources) => {
        const names = sources.map((s) => s.manifest.name);
        const resources = sources.flatMap((s) => [
          ...s.manifest.services.map((x) => x.name),
          ...s.manifest.processors.map((x) => x.name),
        ]);
        const ports = sources.flatMap((s) => s.manifest.services.map((x) => x.port));
        const topics = sources.flatMap((s) => s.manifest.streamTopics);
        const panels = sources.flatMap((s) => s.manifest.dashboardPanels.map((p) => p.id));
        const distinct = (values: unknown[]) => new Set(values).size === values.length;
        const clean = distinct(names) && distinct(resources) && distinct(ports) &&
          distinct(topics) && distinct(panels);
        const result = outcome(sources) as { code?: string };
        equal(result.code === undefined, clean);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("composeRegistry() keeps the app's port and the dashboard's port free", () => {
  for (const port of [3000, 18888]) {
    const claimant = source(
      "plugins/greedy/plugin.ts",
      definePlugin("greedy", "1.0.0").withService({
        name: "greedy-api",
        entrypoint: "./m.ts",
        port,
      }).build(),
    );
    expectConflict(
      [claimant],
      "PLUGIN_RESERVED_PORT",
      new RegExp(`port ${port} is reserved`),
      /plugins\/greedy/,
    );
  }
});

Deno.test("composeRegistry() keeps the names of the app's service, the stores and the AppHost's servers", () => {
  for (const name of ["api", "db", "cache", "postgres", "mysql", "sqlserver"]) {
    const service = source(
      "plugins/greedy/plugin.ts",
      definePlugin("greedy", "1.0.0").withService({ name, entrypoint: "./m.ts", port: 8300 })
        .build(),
    );
    expectConflict([service], "PLUGIN_RESERVED_NAME", new RegExp(`"${name}"`), /plugins\/greedy/);
    const processor = source(
      "plugins/greedy/plugin.ts",
      definePlugin("greedy", "1.0.0").withBackgroundProcessor({ name, entrypoint: "./w.ts" })
        .build(),
    );
    expectConflict([processor], "PLUGIN_RESERVED_NAME", /reserved for/, /greedy-/);
  }
});

Deno.test("every code composeRegistry() and definePlugin() raise is in the catalog", () => {
  const source = [
    "./compose_registry.ts",
    "./manifest_schema.ts",
    "./definition_files.ts",
    "./workspace_config.ts",
  ].map((file) => Deno.readTextFileSync(new URL(file, import.meta.url))).join("\n");
  const raised = new Set([...source.matchAll(/"((?:PLUGIN|CONFIG)_[A-Z_]+)"/g)].map((m) => m[1]!));
  deepEqual([...raised].filter((code) => !(code in PLUGIN_ERROR_CODES)), []);
});

Deno.test("composeRegistry() refuses a plugin whose required plugin is missing, naming both", () => {
  const jobs = definePlugin("@acme/jobs", "1.0.0").build();
  const hooks = definePlugin("@acme/hooks", "1.0.0").withRequires(["@acme/jobs"]).build();
  throws(
    () => composeRegistry([{ manifest: hooks, file: "plugins/hooks/plugin.ts" }]),
    (error) =>
      isNetScriptError(error, "PLUGIN_REQUIREMENT_MISSING") &&
      error.message.includes('"@acme/hooks" (plugins/hooks)') &&
      error.message.includes('needs plugin "@acme/jobs"'),
  );
  const registry = composeRegistry([
    { manifest: hooks, file: "plugins/hooks/plugin.ts" },
    { manifest: jobs, file: "plugins/jobs/plugin.ts" },
  ]);
  equal(registry.plugins.length, 2);
});
