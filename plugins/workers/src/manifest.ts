import {
  definePlugin,
  type DenoPermissions,
  type PluginManifest,
  type ProcessorContribution,
  type ServiceContribution,
} from "@netscript/plugin";

/**
 * What every workers process needs beyond what the workspace grants: the
 * Deno KV file under `.netscript/data/` (the embedded store) and the
 * variables that choose the store.
 */
const STORE_PERMISSIONS: DenoPermissions = {
  read: [".netscript/data"],
  write: [".netscript/data"],
  env: ["WORKERS_STORE", "WORKERS_KV_PATH"],
  unstable: ["kv"],
};

/**
 * The workers plugin's manifest: `workers-api` on 8091; the processors
 * `workers-combined` (a worker and a scheduler in one process),
 * `workers-worker` and `workers-scheduler`; the Postgres tables; contract
 * `v1`; the `workers` runtime configuration topic; and the Aspire
 * contribution. Paths are relative to the workspace's `plugins/workers/`.
 */
export const workersManifest: PluginManifest<
  "workers",
  "background-processor",
  readonly ServiceContribution<"workers-api">[],
  readonly ProcessorContribution<"workers-combined" | "workers-worker" | "workers-scheduler">[]
> = definePlugin("workers", "0.1.0")
  .withType("background-processor")
  .withService({
    name: "workers-api",
    entrypoint: "./services/src/main.ts",
    port: 8091,
    permissions: STORE_PERMISSIONS,
  })
  .withBackgroundProcessor({
    name: "workers-combined",
    entrypoint: "./bin/combined.ts",
    concurrency: 2,
    permissions: STORE_PERMISSIONS,
  })
  .withBackgroundProcessor({
    name: "workers-worker",
    entrypoint: "./bin/worker.ts",
    concurrency: 2,
    permissions: STORE_PERMISSIONS,
  })
  .withBackgroundProcessor({
    name: "workers-scheduler",
    entrypoint: "./bin/scheduler.ts",
    permissions: STORE_PERMISSIONS,
  })
  .withDbSchemas([{ path: "./database/workers.prisma", engine: "postgres" }])
  .withContractVersions([{ version: "v1", loader: () => import("../contracts/v1/mod.ts") }])
  .withRuntimeConfigTopics([{ name: "workers", schemaPath: "./runtime/workers.schema.json" }])
  .withTelemetry({ namespace: "workers" })
  .withAspire("./src/aspire/mod.ts")
  .build();
