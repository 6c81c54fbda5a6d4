import { deepEqual, equal, ok } from "node:assert/strict";
import {
  buildResourceGraph,
  composeRegistry,
  defineConfig,
  definePlugin,
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
    equal(process.env.DATABASE_URL, "postgresql://postgres@127.0.0.1:5432/app");
    equal(process.env.DB_URI, process.env.DATABASE_URL);
    equal(process.env.CACHE_URI, "redis://127.0.0.1:6379");
    equal(process.env.services__workers_api__http__0, undefined);
    equal(process.env["services__workers-api__http__0"], "http://localhost:8091");
    equal(process.env.WORKERS_API_HTTP, "http://localhost:8091");
    equal(process.env.API_HTTP, "http://localhost:3000");
  }
  equal(api!.env.PORT, "3000");
  equal(api!.env.OTEL_SERVICE_NAME, "api");
});

Deno.test("buildResourceGraph() derives least-privilege permissions and never -A", () => {
  const [api, workersApi, worker] = processes(buildResourceGraph(servers, registry));
  deepEqual(workersApi!.permissions.net, ["0.0.0.0:8091", "127.0.0.1:5432", "127.0.0.1:6379"]);
  deepEqual(
    worker!.permissions.net,
    ["127.0.0.1:5432", "127.0.0.1:6379"],
    "a processor does not listen",
  );
  ok((worker!.permissions.env as string[]).includes("QUEUE"), "declared permissions are kept");
  ok((worker!.permissions.env as string[]).includes("WORKER_CONCURRENCY"));
  equal(api!.permissions.read, undefined, "server stores need no file access");
  for (const process of [api!, workersApi!, worker!]) {
    ok(!process.flags.includes("-A") && !process.flags.includes("--allow-all"));
  }
  const [embeddedApi] = processes(buildResourceGraph(embedded, registry));
  deepEqual(embeddedApi!.permissions.read, [".netscript/data"]);
  deepEqual(embeddedApi!.permissions.write, [".netscript/data"]);
  deepEqual(embeddedApi!.permissions.unstable, ["kv"]);
  ok(embeddedApi!.flags.includes("--unstable-kv"));
  equal(embeddedApi!.env.DATABASE_URL, "file:.netscript/data/app.db");
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
