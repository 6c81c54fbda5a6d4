import {
  checkGrantedPermissions,
  type ContractVersionContribution,
  type DashboardPanelContribution,
  definePlugin,
  type DenoPermissions,
  mergePermissions,
  type PluginManifest,
  type ProcessorContribution,
  type ServiceContribution,
} from "@netscript/plugin";
import type { WorkersErrorCode } from "./workers_error_codes.ts";

/**
 * What every workers process needs beyond what the workspace grants: the
 * Deno KV file under `.netscript/data/` (the embedded store) and the
 * variables the processes read (the store, the log level, `WORKER_CLAIM_AHEAD`).
 */
const STORE_PERMISSIONS: DenoPermissions = {
  read: [".netscript/data"],
  write: [".netscript/data"],
  env: ["WORKERS_STORE", "WORKERS_KV_PATH", "WORKERS_LOG_LEVEL", "WORKER_CLAIM_AHEAD"],
  unstable: ["kv"],
};

/** The workers plugin's manifest type: its name, type, service and processors. */
export type WorkersManifest = PluginManifest<
  "@netscript/plugin-workers",
  "background-processor",
  readonly ServiceContribution<"workers-api">[],
  readonly ProcessorContribution<"workers-combined" | "workers-worker" | "workers-scheduler">[]
>;

/** Options of {@linkcode defineWorkersPlugin}. */
export interface WorkersPluginOptions {
  /**
   * What your jobs need beyond the job store, granted to the processes that
   * run them (`workers-combined`, `workers-worker`), e.g.
   * `{ net: ["api.mailgun.net"] }`. `workers-api` and `workers-scheduler`
   * never run job code and do not get them.
   * @default {none}
   */
  readonly jobPermissions?: DenoPermissions | undefined;
}

/** The versions of `workers-api`'s contract: what the manifest declares and the API serves. */
export const WORKERS_CONTRACT_VERSIONS: readonly ContractVersionContribution[] = [
  { version: "v1", loader: () => import("../contracts/v1/mod.ts") },
];

/**
 * The `jobs` panel of `netscript dev`'s dashboard: counts by state, the
 * newest jobs (retry, cancel) and the dead letters (redrive), over
 * `workers-api`'s contract.
 */
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
      columns: [
        { field: "id", label: "Id" },
        { field: "name", label: "Job" },
        { field: "state", label: "State" },
        { field: "attempts", label: "Attempts" },
        { field: "lastError", label: "Last error" },
        { field: "updatedAt", label: "Updated" },
      ],
      actions: [
        {
          label: "Retry",
          path: "/api/jobs/{id}/retry",
          when: { field: "state", values: ["failed", "dead", "cancelled"] },
        },
        {
          label: "Cancel",
          path: "/api/jobs/{id}/cancel",
          when: { field: "state", values: ["queued", "scheduled", "failed"] },
        },
      ],
    },
    {
      kind: "table",
      title: "Dead letters",
      path: "/api/dead-letters?limit=50",
      columns: [
        { field: "id", label: "Id" },
        { field: "name", label: "Job" },
        { field: "attempts", label: "Attempts" },
        { field: "lastError", label: "Last error" },
        { field: "finishedAt", label: "Finished" },
      ],
      actions: [{ label: "Redrive", path: "/api/dead-letters/{id}/redrive" }],
    },
  ],
};

/**
 * Builds the workers plugin's manifest: `workers-api` on 8091; the
 * processors `workers-combined` (a worker and a scheduler in one process),
 * `workers-worker` and `workers-scheduler`; the definitions folders `jobs/`
 * (`defineJob`) and `schedules/` (`defineSchedule`); the Postgres tables;
 * contract `v1`; the `workers` runtime configuration topic (live limits);
 * the `jobs` panel of `netscript dev`'s dashboard; and the Aspire contribution. Paths are relative to the workspace's `plugins/workers/`.
 * The workspace's `plugins/workers/plugin.ts` calls it, and is where you
 * grant your jobs what they need.
 *
 * @param options What the jobs need.
 * @returns The manifest.
 * @throws {NetScriptError} `WORKERS_INVALID_PERMISSIONS` for an unknown
 * permission, a malformed grant, or `env: true`.
 *
 * @example
 * ```ts
 * import { defineWorkersPlugin } from "@netscript/plugin-workers";
 *
 * export default defineWorkersPlugin({ jobPermissions: { net: ["api.mailgun.net"] } });
 * ```
 */
export function defineWorkersPlugin(options: WorkersPluginOptions = {}): WorkersManifest {
  const jobs = mergePermissions(
    STORE_PERMISSIONS,
    checkGrantedPermissions<WorkersErrorCode>(options.jobPermissions ?? {}, {
      option: "jobPermissions",
      builder: "defineWorkersPlugin",
      readers: "your jobs",
      code: "WORKERS_INVALID_PERMISSIONS",
    }),
  );
  return definePlugin("@netscript/plugin-workers", "0.1.0")
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
      permissions: jobs,
    })
    .withBackgroundProcessor({
      name: "workers-worker",
      entrypoint: "./bin/worker.ts",
      concurrency: 2,
      permissions: jobs,
    })
    .withBackgroundProcessor({
      name: "workers-scheduler",
      entrypoint: "./bin/scheduler.ts",
      permissions: STORE_PERMISSIONS,
    })
    .withDefinitions([
      { folder: "jobs", kind: "job", builder: "defineJob" },
      { folder: "schedules", kind: "schedule", builder: "defineSchedule" },
    ])
    .withDbSchemas([{ path: "./database/workers.prisma", engine: "postgres" }])
    .withContractVersions(WORKERS_CONTRACT_VERSIONS)
    .withRuntimeConfigTopics([{ name: "workers", schemaPath: "./runtime/workers.schema.json" }])
    .withDashboardPanels([JOBS_PANEL])
    .withTelemetry({ namespace: "workers" })
    .withAspire("./src/aspire/mod.ts")
    .build();
}

/** The workers plugin's manifest with no extra permissions for jobs. */
export const workersManifest: WorkersManifest = defineWorkersPlugin();
