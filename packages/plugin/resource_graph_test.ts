import { deepEqual, equal, ok } from "node:assert/strict";
import {
  aspireEnvName,
  buildResourceGraph,
  composeRegistry,
  type DataStoreResource,
  defineConfig,
  definePlugin,
  LOCAL_DATABASE_URLS,
  type ProcessResource,
  type Registry,
} from "./mod.ts";

const workers = definePlugin("workers", "0.1.0")
  .withType("background-processor")
  .withService({ name: "workers-api", entrypoint: "./services/src/main.ts", port: 8091 })
  .withBackgroundProcessor({
    name: "workers-worker",
    entrypoint: "./bin/worker.ts",
    concurrency: 2,
    permissions: { env: ["QUEUE"] },
  })
  .build();
const registry: Registry = composeRegistry([{
  manifest: workers,
  file: "plugins/workers/plugin.ts",
}]);
const embedded = defineConfig({
  db: { engine: "sqlite" },
  cache: { backend: "deno-kv" },
  plugins: [],
  aspire: false,
});
const servers = defineConfig({
  db: { engine: "postgres" },
  cache: { backend: "redis" },
  plugins: [],
  aspire: true,
});

const processes = (graph: ReturnType<typeof buildResourceGraph>) =>
  graph.resources.filter((r): r is ProcessResource => r.kind !== "store");

Deno.test("buildResourceGraph() lists stores, the app, plugin services, then processors", () => {
  const graph = buildResourceGraph(embedded, registry);
  deepEqual(graph.resources.map((r) => [r.name, r.kind]), [
    ["db", "store"],
    ["cache", "store"],
    ["api", "service"],
    ["workers-api", "service"],
    ["workers-worker", "processor"],
  ]);
  const [api, workersApi, worker] = processes(graph);
  equal(api!.port, 3000);
  equal(api!.entrypoint, "services/api/main.ts");
  equal(workersApi!.port, 8091);
  equal(workersApi!.entrypoint, "plugins/workers/services/src/main.ts");
  equal(worker!.parent, "workers-api");
  deepEqual(worker!.waitFor, ["db", "cache", "workers-api"]);
  equal(worker!.env.WORKER_CONCURRENCY, "2");
  equal(workersApi!.env.WORKER_CONCURRENCY, undefined, "WORKER_CONCURRENCY never reaches an API");
  equal(workersApi!.health, "/health");
});

Deno.test("buildResourceGraph() gives every process the stores and every service's URL under Aspire's names", () => {
  const [api, , worker] = processes(buildResourceGraph(servers, registry));
  for (const process of [api!, worker!]) {
    equal(process.env.DB_URI, "postgresql://postgres@127.0.0.1:5432/app");
    equal(process.env.DATABASE_URL, undefined, "one name for the database, as under Aspire");
    equal(process.env.CACHE_URI, "redis://127.0.0.1:6379");
    equal(process.env.services__workers_api__http__0, undefined);
    equal(process.env["services__workers-api__http__0"], "http://localhost:8091");
    equal(process.env.WORKERS_API_HTTP, "http://localhost:8091");
  }
  equal(worker!.env.API_HTTP, "http://localhost:3000");
  equal(api!.env.API_HTTP, undefined, "a service is not told its own URL");
  equal(api!.env.services__api__http__0, undefined);
  equal(api!.env.PORT, "3000");
  equal(api!.env.OTEL_SERVICE_NAME, "api");
});

Deno.test("buildResourceGraph() derives least-privilege permissions and never -A", () => {
  const [api, workersApi, worker] = processes(buildResourceGraph(servers, registry));
  deepEqual(workersApi!.permissions.net, [
    "127.0.0.1:3000",
    "127.0.0.1:5432",
    "127.0.0.1:6379",
    "127.0.0.1:8091",
    "localhost:3000",
    "localhost:8091",
  ]);
  const workerNet = worker!.permissions.net as string[];
  ok(!workerNet.some((host) => host.startsWith("0.0.0.0")), "a processor does not listen");
  ok(workerNet.includes("localhost:8091"), "it may call the services");
  equal(
    worker!.permissions.env,
    true,
    "the environment is the graph's own, so it is granted whole",
  );
  deepEqual(worker!.passEnv, ["QUEUE"], "declared variables are passed through");
  equal(api!.permissions.read, undefined, "server stores need no file access");
  for (const process of [api!, workersApi!, worker!]) {
    ok(!process.flags.includes("-A") && !process.flags.includes("--allow-all"));
  }
  const [embeddedApi] = processes(buildResourceGraph(embedded, registry));
  deepEqual(embeddedApi!.permissions.read, [".netscript/data"]);
  deepEqual(embeddedApi!.permissions.write, [".netscript/data"]);
  deepEqual(embeddedApi!.permissions.unstable, ["kv"]);
  ok(embeddedApi!.flags.includes("--unstable-kv"));
  equal(embeddedApi!.env.DB_URI, "file:.netscript/data/app.db");
  equal(embeddedApi!.env.DENO_KV_PATH, ".netscript/data/kv.sqlite3");
});

Deno.test("buildResourceGraph() moves a service whose port is taken to the next free one", () => {
  const graph = buildResourceGraph(embedded, registry, { takenPorts: new Set([3000, 8091, 8092]) });
  const [api, workersApi] = processes(graph);
  equal(api!.port, 3001);
  equal(workersApi!.port, 8093);
  equal(workersApi!.env.PORT, "8093");
  equal(api!.env.WORKERS_API_HTTP, "http://localhost:8093");
});

Deno.test("buildResourceGraph() takes server store URLs from options, and ignores them for files", () => {
  const url = "postgresql://app:secret@db.internal:6543/app";
  const [api] = processes(
    buildResourceGraph(servers, registry, {
      databaseUrl: url,
      cacheUrl: "redis://cache.internal:6380",
    }),
  );
  equal(api!.env.DB_URI, url);
  equal(api!.env.CACHE_URI, "redis://cache.internal:6380");
  ok((api!.permissions.net as string[]).includes("db.internal:6543"));
  ok((api!.permissions.net as string[]).includes("cache.internal:6380"));
  const [embeddedApi] = processes(buildResourceGraph(embedded, registry, { databaseUrl: url }));
  equal(embeddedApi!.env.DB_URI, "file:.netscript/data/app.db");
});

Deno.test("buildResourceGraph() gives a server database without a URL its local default", () => {
  const database = (engine: "postgres" | "mysql" | "mssql") =>
    buildResourceGraph(defineConfig({ ...servers, db: { engine } }), registry).resources
      .find((r): r is DataStoreResource => r.name === "db");
  for (const engine of ["postgres", "mysql", "mssql"] as const) {
    equal(database(engine)?.url, LOCAL_DATABASE_URLS[engine]);
  }
  equal(database("mysql")?.address, "127.0.0.1:3306");
});

Deno.test("aspireEnvName() encodes names as Aspire does in variable names", () => {
  equal(aspireEnvName("workers-api"), "WORKERS_API");
  equal(aspireEnvName("a.b c"), "A_B_C");
  equal(aspireEnvName("9lives"), "_9LIVES");
});

Deno.test("buildResourceGraph() labels a plugin's processes with its telemetry namespace", () => {
  const labelled = composeRegistry([{
    manifest: definePlugin("@acme/plugin-mail", "1.0.0")
      .withService({ name: "mail-api", entrypoint: "./main.ts", port: 8120 })
      .withBackgroundProcessor({ name: "mail-sender", entrypoint: "./bin/sender.ts" })
      .withTelemetry({ namespace: "mail", resourceAttributes: { "team.name": "a b,c" } })
      .build(),
    file: "plugins/mail/plugin.ts",
  }]);
  const graph = processes(buildResourceGraph(embedded, labelled));
  for (const name of ["mail-api", "mail-sender"]) {
    equal(
      graph.find((p) => p.name === name)!.env.OTEL_RESOURCE_ATTRIBUTES,
      "service.namespace=mail,team.name=a%20b%2Cc",
    );
  }
  equal(graph.find((p) => p.name === "api")!.env.OTEL_RESOURCE_ATTRIBUTES, undefined);
});

Deno.test("buildResourceGraph() lets a plugin with config topics reach the config store", () => {
  const configured = composeRegistry([{
    manifest: definePlugin("tuned", "1.0.0")
      .withBackgroundProcessor({ name: "tuned-worker", entrypoint: "./w.ts" })
      .withRuntimeConfigTopics([{ name: "tuned", schemaPath: "./tuned.schema.json" }])
      .build(),
    file: "plugins/tuned/plugin.ts",
  }, { manifest: workers, file: "plugins/workers/plugin.ts" }]);
  const onServers = processes(buildResourceGraph(servers, configured));
  const tuned = onServers.find((p) => p.name === "tuned-worker")!;
  const worker = onServers.find((p) => p.name === "workers-worker")!;
  equal(tuned.permissions.read, undefined, "Postgres keeps config topics: no file needed");
  const mysql = defineConfig({
    db: { engine: "mysql" },
    cache: { backend: "redis" },
    plugins: [],
    aspire: false,
  });
  const onMysql = processes(buildResourceGraph(mysql, configured));
  const tunedOnMysql = onMysql.find((p) => p.name === "tuned-worker")!;
  deepEqual(tunedOnMysql.permissions.read, [".netscript/data"]);
  deepEqual(tunedOnMysql.permissions.write, [".netscript/data"]);
  ok(tunedOnMysql.permissions.unstable?.includes("kv"));
  equal(
    onMysql.find((p) => p.name === "workers-worker")!.permissions.read,
    undefined,
    "a plugin without topics gets no file access",
  );
  equal(worker.permissions.read, undefined);
});
