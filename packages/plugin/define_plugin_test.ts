import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { definePlugin, isPluginManifest, type ProcessorContribution } from "./mod.ts";

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
