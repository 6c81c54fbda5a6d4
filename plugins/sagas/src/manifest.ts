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
import type { SagasPluginErrorCode } from "./sagas_error_codes.ts";

/**
 * What every sagas process needs beyond what the workspace grants: the
 * Deno KV files under `.netscript/data/` (the embedded stores) and the
 * variables the processes read (their store and log level).
 */
const STORE_PERMISSIONS: DenoPermissions = {
  read: [".netscript/data"],
  write: [".netscript/data"],
  env: ["SAGAS_STORE", "SAGAS_KV_PATH", "SAGAS_LOG_LEVEL"],
  unstable: ["kv"],
};

/** The job store's variables, for the runner, whose sagas start jobs with `ctx.enqueue`. */
const JOB_STORE_PERMISSIONS: DenoPermissions = {
  env: ["WORKERS_STORE", "WORKERS_KV_PATH", "WORKERS_REDIS_URL", "REDIS_URL", "CACHE_URI"],
};

/** The sagas `saga-runner` runs at once unless `WORKER_CONCURRENCY` or the `sagas` topic says otherwise. */
const RUNNER_CONCURRENCY = 16;

/** The versions of `sagas-api`'s contract: what the manifest declares and the API serves. */
export const SAGAS_CONTRACT_VERSIONS: readonly ContractVersionContribution[] = [
  { version: "v1", loader: () => import("../contracts/v1/mod.ts") },
];

/**
 * The `sagas` panel of `netscript dev`'s dashboard: counts by state and the
 * newest sagas (retry a failed one, cancel a running one), each opening on
 * its steps, over `sagas-api`'s contract.
 */
const SAGAS_PANEL: DashboardPanelContribution = {
  id: "sagas",
  title: "Sagas",
  service: "sagas-api",
  views: [
    { kind: "counts", title: "Sagas by state", path: "/api/stats" },
    {
      kind: "table",
      title: "Sagas",
      path: "/api/sagas?limit=50",
      columns: [
        { field: "id", label: "Id" },
        { field: "name", label: "Saga" },
        { field: "version", label: "Version" },
        { field: "state", label: "State" },
        { field: "error", label: "Error" },
        { field: "updatedAt", label: "Updated" },
      ],
      actions: [
        {
          label: "Retry",
          path: "/api/sagas/{id}/retry",
          when: { field: "state", values: ["failed"] },
        },
        {
          label: "Cancel",
          path: "/api/sagas/{id}/cancel",
          when: { field: "state", values: ["running", "waiting"] },
        },
      ],
      detail: {
        path: "/api/sagas/{id}",
        list: "steps",
        columns: [
          { field: "seq", label: "#" },
          { field: "kind", label: "Kind" },
          { field: "name", label: "Step" },
          { field: "state", label: "State" },
          { field: "attempts", label: "Attempts" },
          { field: "error", label: "Error" },
          { field: "updatedAt", label: "Updated" },
        ],
      },
    },
  ],
};

/** The sagas plugin's manifest type: its name, type, service and processor. */
export type SagasManifest = PluginManifest<
  "@netscript/plugin-sagas",
  "background-processor",
  readonly ServiceContribution<"sagas-api">[],
  readonly ProcessorContribution<"saga-runner">[]
>;

/** Options of {@linkcode defineSagasPlugin}. */
export interface SagasPluginOptions {
  /**
   * What your saga steps and compensations need beyond the stores, granted
   * to `saga-runner` (the one process that runs saga code), e.g.
   * `{ net: ["api.stripe.com"] }`. `sagas-api` never runs saga code and
   * does not get them.
   * @default {none}
   */
  readonly stepPermissions?: DenoPermissions | undefined;
}

/**
 * Builds the sagas plugin's manifest: `sagas-api` on 8092 (start, inspect,
 * cancel, signal and retry sagas); the processor `saga-runner`, which runs
 * them; the definitions folder `sagas/` (`defineSaga`); the Postgres
 * tables; contract `v1`; the `sagas` runtime configuration topic (the
 * runner's concurrency, live); the `sagas` panel of `netscript dev`'s
 * dashboard; the Aspire contribution; and the workers
 * plugin as a requirement (`ctx.enqueue` starts its jobs). Paths are
 * relative to the workspace's `plugins/sagas/`, whose `plugin.ts` calls
 * it, and is where you grant your steps what they need.
 *
 * @param options What the saga steps need.
 * @returns The manifest.
 * @throws {NetScriptError} `SAGAS_INVALID_PERMISSIONS` for an unknown
 * permission, a malformed grant, or `env: true`.
 *
 * @example
 * ```ts
 * import { defineSagasPlugin } from "@netscript/plugin-sagas";
 *
 * export default defineSagasPlugin({ stepPermissions: { net: ["api.stripe.com"] } });
 * ```
 */
export function defineSagasPlugin(options: SagasPluginOptions = {}): SagasManifest {
  const runner = mergePermissions(
    mergePermissions(STORE_PERMISSIONS, JOB_STORE_PERMISSIONS),
    checkGrantedPermissions<SagasPluginErrorCode>(options.stepPermissions ?? {}, {
      option: "stepPermissions",
      builder: "defineSagasPlugin",
      readers: "your steps",
      code: "SAGAS_INVALID_PERMISSIONS",
    }),
  );
  return definePlugin("@netscript/plugin-sagas", "0.1.0")
    .withType("background-processor")
    .withService({
      name: "sagas-api",
      entrypoint: "./services/src/main.ts",
      port: 8092,
      permissions: STORE_PERMISSIONS,
    })
    .withBackgroundProcessor({
      name: "saga-runner",
      entrypoint: "./bin/runner.ts",
      concurrency: RUNNER_CONCURRENCY,
      permissions: runner,
    })
    .withDefinitions([{ folder: "sagas", kind: "saga", builder: "defineSaga" }])
    .withDbSchemas([{ path: "./database/sagas.prisma", engine: "postgres" }])
    .withContractVersions(SAGAS_CONTRACT_VERSIONS)
    .withRuntimeConfigTopics([{ name: "sagas", schemaPath: "./runtime/sagas.schema.json" }])
    .withDashboardPanels([SAGAS_PANEL])
    .withTelemetry({ namespace: "sagas" })
    .withAspire("./src/aspire/mod.ts")
    .withRequires(["@netscript/plugin-workers"])
    .build();
}

/** The sagas plugin's manifest with no extra permissions for saga steps. */
export const sagasManifest: SagasManifest = defineSagasPlugin();
