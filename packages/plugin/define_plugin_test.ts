import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import {
  type DashboardPanelContribution,
  type DashboardTableView,
  definePlugin,
  isPluginManifest,
  type ProcessorContribution,
} from "./mod.ts";

const workers = () =>
  definePlugin("workers", "0.1.0")
    .withType("background-processor")
    .withService({ name: "workers-api", entrypoint: "./services/src/main.ts", port: 8091 })
    .withBackgroundProcessor({
      name: "workers-combined",
      entrypoint: "./bin/combined.ts",
      concurrency: 2,
    })
    .withBackgroundProcessor({
      name: "workers-worker",
      entrypoint: "./bin/worker.ts",
      concurrency: 2,
    })
    .withBackgroundProcessor({ name: "workers-scheduler", entrypoint: "./bin/scheduler.ts" })
    .withDbSchemas([{ path: "./database/workers.prisma", engine: "postgres" }])
    .withContractVersions([{ version: "v1", loader: () => Promise.resolve({}) }])
    .withRuntimeConfigTopics([{ name: "workers", schemaPath: "./runtime/workers.schema.json" }])
    .withAspire("./src/aspire/mod.ts");

Deno.test("definePlugin() builds the workers manifest of the design", () => {
  const manifest = workers().build();
  equal(manifest.name, "workers");
  equal(manifest.type, "background-processor");
  deepEqual(manifest.services, [
    { name: "workers-api", entrypoint: "./services/src/main.ts", port: 8091 },
  ]);
  const processors: readonly ProcessorContribution[] = manifest.processors;
  deepEqual(processors.map((p) => [p.name, p.concurrency]), [
    ["workers-combined", 2],
    ["workers-worker", 2],
    ["workers-scheduler", undefined],
  ]);
  deepEqual(manifest.dbSchemas, [{ path: "./database/workers.prisma", engine: "postgres" }]);
  equal(manifest.contractVersions[0]!.version, "v1");
  equal(typeof manifest.contractVersions[0]!.loader, "function");
  equal(manifest.aspire, "./src/aspire/mod.ts");
  ok(isPluginManifest(manifest));
});

Deno.test("definePlugin() defaults to a library with no contributions", () => {
  const manifest = definePlugin("empty", "1.0.0").build();
  deepEqual({ ...manifest }, {
    name: "empty",
    version: "1.0.0",
    type: "library",
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

Deno.test("build() returns a deeply frozen manifest", () => {
  const manifest = workers().build();
  ok(Object.isFrozen(manifest));
  ok(Object.isFrozen(manifest.services));
  ok(Object.isFrozen(manifest.services[0]));
  throws(() => {
    (manifest.services[0] as { port: number }).port = 1;
  }, TypeError);
});

Deno.test("with…() calls return new builders and never change earlier ones", () => {
  const a = { name: "a.created", schemaPath: "./a.json" };
  const b = { name: "b.created", schemaPath: "./b.json" };
  const base = definePlugin("shared", "1.0.0").withStreamTopics([a]);
  const one = base.withStreamTopics([b]).build();
  const two = base.build();
  deepEqual(one.streamTopics, [a, b]);
  deepEqual(two.streamTopics, [a]);
});

Deno.test("build() does not share arrays with the caller", () => {
  const topics = [{ name: "a.created", schemaPath: "./a.json" }];
  const manifest = definePlugin("copy", "1.0.0").withStreamTopics(topics).build();
  topics.push({ name: "b.created", schemaPath: "./b.json" });
  deepEqual(manifest.streamTopics, [{ name: "a.created", schemaPath: "./a.json" }]);
});

/** A panel over `workers-api`, with every kind of view and path. */
const JOBS_PANEL: DashboardPanelContribution = {
  id: "jobs",
  title: "Jobs",
  service: "workers-api",
  views: [
    { kind: "counts", title: "Jobs by state", path: "/api/stats" },
    {
      kind: "table",
      title: "Jobs",
      path: "/api/jobs?limit=50",
      columns: [{ field: "id", label: "Id" }, { field: "state", label: "State" }],
      actions: [{
        label: "Retry",
        path: "/api/jobs/{id}/retry",
        when: { field: "state", values: ["failed", "dead"] },
      }],
      detail: { path: "/api/jobs/{id}", list: "attempts", columns: [{ field: "n", label: "#" }] },
    },
  ],
};

/** `JOBS_PANEL` with its table view changed. */
function jobsPanelWithTable(
  change: Partial<DashboardTableView>,
): DashboardPanelContribution {
  return { ...JOBS_PANEL, views: [{ ...JOBS_PANEL.views[1] as DashboardTableView, ...change }] };
}

Deno.test("withDashboardPanels() adds panels in order, and build() keeps them as declared", () => {
  const other = { ...JOBS_PANEL, id: "queues", title: "Queues" };
  const manifest = workers().withDashboardPanels([JOBS_PANEL]).withDashboardPanels([other])
    .build();
  deepEqual(manifest.dashboardPanels, [JOBS_PANEL, other]);
  ok(Object.isFrozen(manifest.dashboardPanels[0]!.views));
});

Deno.test("build() rejects a malformed dashboard panel, naming the field", async (t) => {
  const cases: [string, DashboardPanelContribution, RegExp][] = [
    [
      "an id that is not a slug",
      { ...JOBS_PANEL, id: "Jobs" },
      /dashboardPanels\[0\]\.id must be 1-40 lowercase letters/,
    ],
    [
      "an empty title",
      { ...JOBS_PANEL, title: " " },
      /dashboardPanels\[0\]\.title must not be empty/,
    ],
    [
      "a title too long for the navigation",
      { ...JOBS_PANEL, title: "J".repeat(41) },
      /dashboardPanels\[0\]\.title must be at most 40 characters/,
    ],
    [
      "no views",
      { ...JOBS_PANEL, views: [] },
      /dashboardPanels\[0\]\.views must list at least one view/,
    ],
    [
      "a table without columns",
      jobsPanelWithTable({ columns: [] }),
      /views\[0\]\.columns must list at least one column/,
    ],
    [
      "a column field that is not a field name",
      jobsPanelWithTable({ columns: [{ field: "last error", label: "Error" }] }),
      /views\[0\]\.columns\[0\]\.field must be a field name/,
    ],
    [
      "an action shown for no value",
      jobsPanelWithTable({
        actions: [{
          label: "Retry",
          path: "/api/jobs/{id}/retry",
          when: { field: "state", values: [] },
        }],
      }),
      /actions\[0\]\.when\.values must list at least one value/,
    ],
    [
      "a detail list that is not a field name",
      jobsPanelWithTable({
        detail: { path: "/api/jobs/{id}", list: "a.b", columns: [{ field: "n", label: "#" }] },
      }),
      /views\[0\]\.detail\.list must be a field name/,
    ],
  ];
  for (const [label, panel, message] of cases) {
    await t.step(label, () => {
      throws(() => workers().withDashboardPanels([panel]).build(), (error: unknown) => {
        ok(isNetScriptError(error, "PLUGIN_INVALID_MANIFEST"), String(error));
        match(error.message, message);
        return true;
      });
    });
  }
});

Deno.test("build() refuses a dashboard path that could leave the service", async (t) => {
  for (
    const path of [
      "api/stats",
      "http://evil.example/api/stats",
      "//evil.example/api/stats",
      "/api/../admin",
      "/api/%2E%2e/admin",
      "/api/stats#top",
      "/api/stats\u0007",
      "/api/st ats",
      "/api/stats\n",
      "/api\\stats",
    ]
  ) {
    await t.step(JSON.stringify(path), () => {
      const panel = { ...JOBS_PANEL, views: [{ kind: "counts" as const, title: "Counts", path }] };
      throws(
        () => workers().withDashboardPanels([panel]).build(),
        (error: unknown) =>
          isNetScriptError(error, "PLUGIN_INVALID_MANIFEST") &&
          /dashboardPanels\[0\]\.views\[0\]\.path must be a path on the service starting with "\/"/
            .test(error.message),
      );
    });
  }
});

Deno.test("build() refuses placeholders in a GET path and malformed placeholders anywhere", async (t) => {
  const cases: [string, DashboardPanelContribution, RegExp][] = [
    [
      "a placeholder in a counts path",
      { ...JOBS_PANEL, views: [{ kind: "counts", title: "Counts", path: "/api/stats/{queue}" }] },
      /views\[0\]\.path must not hold placeholders \(\{queue\}\)/,
    ],
    [
      "a placeholder in a table path",
      jobsPanelWithTable({ path: "/api/jobs?state={state}" }),
      /views\[0\]\.path must not hold placeholders \(\{state\}\)/,
    ],
    [
      "an action placeholder that is not a field name",
      jobsPanelWithTable({ actions: [{ label: "Retry", path: "/api/jobs/{job id}/retry" }] }),
      /actions\[0\]\.path must write each placeholder as \{field\}/,
    ],
    [
      "an unclosed placeholder in a detail path",
      jobsPanelWithTable({
        detail: { path: "/api/jobs/{id", list: "steps", columns: [{ field: "n", label: "#" }] },
      }),
      /detail\.path must write each placeholder as \{field\}/,
    ],
  ];
  for (const [label, panel, message] of cases) {
    await t.step(label, () => {
      throws(() => workers().withDashboardPanels([panel]).build(), (error: unknown) => {
        ok(isNetScriptError(error, "PLUGIN_INVALID_MANIFEST"), String(error));
        match(error.message, message);
        return true;
      });
    });
  }
});

Deno.test("build() refuses a dashboard panel over a service the plugin does not declare, naming the panel and its services", () => {
  throws(
    () => workers().withDashboardPanels([{ ...JOBS_PANEL, service: "sagas-api" }]).build(),
    (error: unknown) => {
      ok(isNetScriptError(error, "PLUGIN_INVALID_MANIFEST"));
      match(
        error.message,
        /dashboardPanels\[0\]\.service of panel "jobs" names "sagas-api", which is not a service of this plugin; use one of "workers-api"/,
      );
      return true;
    },
  );
  throws(
    () => definePlugin("lib", "1.0.0").withDashboardPanels([JOBS_PANEL]).build(),
    /dashboardPanels\[0\]\.service .*this plugin declares none/,
  );
});

Deno.test("build() refuses two dashboard panels of one plugin with one id", () => {
  throws(
    () =>
      workers().withDashboardPanels([JOBS_PANEL, { ...JOBS_PANEL, title: "More jobs" }]).build(),
    /dashboardPanels\[1\] repeats the id "jobs"/,
  );
});

Deno.test("build() rejects a malformed manifest with the path of each offending field", async (t) => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      "a bad plugin name",
      () => definePlugin("Bad Name", "1.0.0").build(),
      /name must be a package name such as "@acme\/plugin-billing"/,
    ],
    [
      "a bad version",
      () => definePlugin("ok", "one").build(),
      /version must be a semantic version/,
    ],
    [
      "a port out of range",
      () =>
        definePlugin("ok", "1.0.0").withService({ name: "api", entrypoint: "./a.ts", port: 70000 })
          .build(),
      /services\[0\]\.port must be a port from 1 to 65535 \(got 70000\)/,
    ],
    [
      "an entrypoint outside the plugin folder",
      () =>
        definePlugin("ok", "1.0.0").withService({ name: "api", entrypoint: "../x.ts", port: 1 })
          .build(),
      /services\[0\]\.entrypoint must be a path inside the plugin folder/,
    ],
    [
      "a zero concurrency",
      () =>
        definePlugin("ok", "1.0.0").withBackgroundProcessor({
          name: "w",
          entrypoint: "./w.ts",
          concurrency: 0,
        })
          .build(),
      /processors\[0\]\.concurrency must be at least 1/,
    ],
    [
      "an unknown permission",
      () =>
        definePlugin("ok", "1.0.0").withBackgroundProcessor({
          name: "w",
          entrypoint: "./w.ts",
          permissions: { all: true } as never,
        }).build(),
      /processors\[0\]\.permissions has unknown field\(s\) "all"/,
    ],
    [
      "two services with one name",
      () =>
        definePlugin("ok", "1.0.0")
          .withService({ name: "api", entrypoint: "./a.ts", port: 1 })
          .withService({ name: "api", entrypoint: "./b.ts", port: 2 })
          .build(),
      /services\[1\] repeats the name "api"/,
    ],
    [
      "a processor named like a service",
      () =>
        definePlugin("ok", "1.0.0")
          .withService({ name: "api", entrypoint: "./a.ts", port: 1 })
          .withBackgroundProcessor({ name: "api", entrypoint: "./b.ts" })
          .build(),
      /processors\[0\]\.name repeats the name of a service/,
    ],
    [
      "a schema fragment that is not .prisma",
      () =>
        definePlugin("ok", "1.0.0").withDbSchemas([{ path: "./db.sql", engine: "postgres" }])
          .build(),
      /dbSchemas\[0\]\.path must be a path inside the plugin folder .* \.prisma/,
    ],
    [
      "an unknown engine",
      () =>
        definePlugin("ok", "1.0.0").withDbSchemas([{
          path: "./db.prisma",
          engine: "oracle" as never,
        }]).build(),
      /dbSchemas\[0\]\.engine must be one of postgres, mysql, mssql, sqlite/,
    ],
    [
      "a scoped name with nothing after plugin-",
      () => definePlugin("@acme/plugin-", "1.0.0").build(),
      /name must/,
    ],
    [
      "a definitions folder the workspace owns",
      () =>
        definePlugin("ok", "1.0.0").withDefinitions([{ folder: "services", kind: "x" }]).build(),
      /definitions\[0\]\.folder must not be one of the reserved folder names/,
    ],
    [
      "a definitions folder named like an export of the generated module",
      () => definePlugin("ok", "1.0.0").withDefinitions([{ folder: "plugin", kind: "x" }]).build(),
      /definitions\[0\]\.folder must not be one of the reserved folder names/,
    ],
    [
      "a telemetry namespace longer than spans take",
      () => definePlugin("ok", "1.0.0").withTelemetry({ namespace: "n".repeat(64) }).build(),
      /telemetry\.namespace must be 1-63 lowercase letters/,
    ],
    [
      "a definitions folder that is a path",
      () => definePlugin("ok", "1.0.0").withDefinitions([{ folder: "../jobs", kind: "x" }]).build(),
      /definitions\[0\]\.folder must be a folder name/,
    ],
    [
      "two definitions of one folder",
      () =>
        definePlugin("ok", "1.0.0").withDefinitions([
          { folder: "tasks", kind: "task" },
          { folder: "tasks", kind: "chore" },
        ]).build(),
      /definitions\[1\] repeats the folder "tasks"/,
    ],
    [
      "a stream topic without a schema",
      () => definePlugin("ok", "1.0.0").withStreamTopics([{ name: "x" } as never]).build(),
      /streamTopics\[0\]\.schemaPath is required/,
    ],
    [
      "a contract version that is not vN",
      () =>
        definePlugin("ok", "1.0.0").withContractVersions([{
          version: "1",
          loader: () => Promise.resolve(),
        }])
          .build(),
      /contractVersions\[0\]\.version must be v1, v2/,
    ],
  ];
  for (const [label, build, message] of cases) {
    await t.step(label, () => {
      throws(build, (error: unknown) => {
        ok(isNetScriptError(error, "PLUGIN_INVALID_MANIFEST"), String(error));
        match(error.message, message);
        match(error.message, /fix the definePlugin\(\) call/);
        const issues = error.details.issues as { path: string }[];
        ok(issues.length >= 1);
        return true;
      });
    });
  }
});

Deno.test("definePlugin() accepts package names, scoped or not", () => {
  for (const name of ["@netscript/plugin-workers", "@acme/plugin-billing", "plugin-x", "hello"]) {
    equal(definePlugin(name, "1.0.0").build().name, name);
  }
});

Deno.test("build() reports every problem at once", () => {
  throws(
    () =>
      definePlugin("ok", "x")
        .withService({ name: "API", entrypoint: "main.ts", port: 0 })
        .build(),
    (error: unknown) => {
      ok(isNetScriptError(error, "PLUGIN_INVALID_MANIFEST"));
      deepEqual((error.details.issues as { path: string }[]).map((i) => i.path).sort(), [
        "services[0].entrypoint",
        "services[0].name",
        "services[0].port",
        "version",
      ]);
      return true;
    },
  );
});
