import { NetScriptError } from "@netscript/contracts/errors";
import {
  type ContractVersionContribution,
  type DashboardPanelContribution,
  definePlugin,
  type DenoPermissions,
  mergePermissions,
  type PluginManifest,
  type ProcessorContribution,
  type ServiceContribution,
} from "@netscript/plugin";
import type { TriggersPluginErrorCode } from "./triggers_error_codes.ts";

/**
 * What every triggers process needs beyond what the workspace grants: the
 * Deno KV files under `.netscript/data/` (the embedded stores) and the
 * variables the processes read (their store and the workers' job store,
 * which the processor starts jobs in).
 */
const STORE_PERMISSIONS: DenoPermissions = {
  read: [".netscript/data"],
  write: [".netscript/data"],
  env: ["TRIGGERS_STORE", "TRIGGERS_KV_PATH", "TRIGGERS_LOG_LEVEL"],
  unstable: ["kv"],
};

/** The job store's variables, for the processor that starts jobs. */
const JOB_STORE_PERMISSIONS: DenoPermissions = {
  env: ["WORKERS_STORE", "WORKERS_KV_PATH", "WORKERS_REDIS_URL", "REDIS_URL", "CACHE_URI"],
};

/**
 * The saga store's variables, for the processor that starts sagas when the
 * workspace has the sagas plugin (its Deno KV file is under
 * `.netscript/data/` too).
 */
const SAGA_STORE_PERMISSIONS: DenoPermissions = {
  env: ["SAGAS_STORE", "SAGAS_KV_PATH"],
};

/** The variables `triggers-api` may read webhook secrets from, unless more are granted. */
export const DEFAULT_SECRET_ENV = "WEBHOOK_*";

/** What an environment variable name in `secretEnv` must look like (a trailing `*` matches a prefix). */
const SECRET_ENV_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

/** The versions of `triggers-api`'s contract: what the manifest declares and the API serves. */
export const TRIGGERS_CONTRACT_VERSIONS: readonly ContractVersionContribution[] = [
  { version: "v1", loader: () => import("../contracts/v1/mod.ts") },
];

/** The triggers plugin's manifest type: its name, type, service and processor. */
export type TriggersManifest = PluginManifest<
  "@netscript/plugin-triggers",
  "background-processor",
  readonly ServiceContribution<"triggers-api">[],
  readonly ProcessorContribution<"trigger-processor">[]
>;

/** Options of {@linkcode defineTriggersPlugin}. */
export interface TriggersPluginOptions {
  /**
   * The environment variables `triggers-api` may read webhook secrets
   * from (each webhook's `secretEnv`), besides every variable whose name
   * starts with `WEBHOOK_`; a trailing `*` grants a prefix, e.g.
   * `["GITHUB_WEBHOOK_SECRET", "STRIPE_*"]`. Nothing else is granted them.
   * @default {[]}
   */
  readonly secretEnv?: readonly string[] | undefined;
}

/**
 * The `triggers` panel of `netscript dev`'s dashboard: deliveries by state,
 * the newest deliveries (replay a settled one) and the workspace's triggers
 * (fire a cron trigger), over `triggers-api`'s contract.
 */
const TRIGGERS_PANEL: DashboardPanelContribution = {
  id: "triggers",
  title: "Triggers",
  service: "triggers-api",
  views: [
    { kind: "counts", title: "Deliveries by state", path: "/api/stats" },
    {
      kind: "table",
      title: "Deliveries",
      path: "/api/deliveries?limit=50",
      columns: [
        { field: "id", label: "Id" },
        { field: "trigger", label: "Trigger" },
        { field: "source", label: "Source" },
        { field: "state", label: "State" },
        { field: "attempts", label: "Attempts" },
        { field: "error", label: "Error" },
        { field: "receivedAt", label: "Received" },
      ],
      actions: [{
        label: "Replay",
        path: "/api/deliveries/{id}/replay",
        when: { field: "state", values: ["dispatched", "skipped", "rejected", "failed"] },
      }],
    },
    {
      kind: "table",
      title: "Triggers",
      path: "/api/triggers",
      columns: [
        { field: "name", label: "Trigger" },
        { field: "type", label: "Type" },
        { field: "path", label: "Webhook path" },
        { field: "cron", label: "Cron" },
        { field: "nextTick", label: "Next tick" },
        { field: "topic", label: "Topic" },
      ],
      actions: [{
        label: "Fire",
        path: "/api/triggers/{name}/fire",
        when: { field: "type", values: ["cron"] },
      }],
    },
  ],
};

/**
 * Builds the triggers plugin's manifest: `triggers-api` on 8093 (webhooks
 * at `/hooks/{name}`, the management contract at `/api/…`); the processor
 * `trigger-processor` (cron ticks, stream messages, and the dispatch of
 * every delivery to its job or saga); the definitions folder `triggers/`
 * (`defineWebhook`, `defineCron`, `defineEvent`); the Postgres tables;
 * contract `v1`; the `triggers` runtime configuration topic; the
 * `triggers` panel of `netscript dev`'s dashboard; the Aspire
 * contribution; and the workers plugin as a requirement (its jobs are what
 * triggers start, unless they start sagas). Event triggers also need the streams plugin, checked
 * when `trigger-processor` starts, since a workspace without event
 * triggers does without it; triggers that start sagas need the sagas
 * plugin, whose store the processor opens when a dispatch first returns a
 * saga. Paths are relative to the workspace's
 * `plugins/triggers/`, whose `plugin.ts` calls it.
 *
 * @param options Where webhook secrets may be read from.
 * @returns The manifest.
 * @throws {NetScriptError} `TRIGGERS_INVALID_PLUGIN_OPTIONS` for a
 * `secretEnv` entry that is not a variable name.
 *
 * @example
 * ```ts
 * import { defineTriggersPlugin } from "@netscript/plugin-triggers";
 *
 * export default defineTriggersPlugin({ secretEnv: ["GITHUB_WEBHOOK_SECRET"] });
 * ```
 */
export function defineTriggersPlugin(options: TriggersPluginOptions = {}): TriggersManifest {
  const secretEnv = options.secretEnv ?? [];
  const wrong = secretEnv.filter((name) => !SECRET_ENV_PATTERN.test(name));
  if (wrong.length > 0) {
    throw new NetScriptError<TriggersPluginErrorCode>(
      "TRIGGERS_INVALID_PLUGIN_OPTIONS",
      `Invalid secretEnv in defineTriggersPlugin: ${
        wrong.map((name) => JSON.stringify(name)).join(", ")
      } ${
        wrong.length > 1 ? "are not variable names" : "is not a variable name"
      } (letters, digits and _, optionally ending in *)`,
      { details: { secretEnv: wrong } },
    );
  }
  return definePlugin("@netscript/plugin-triggers", "0.1.0")
    .withType("background-processor")
    .withService({
      name: "triggers-api",
      entrypoint: "./services/src/main.ts",
      port: 8093,
      permissions: mergePermissions(STORE_PERMISSIONS, {
        env: [DEFAULT_SECRET_ENV, ...secretEnv],
      }),
    })
    .withBackgroundProcessor({
      name: "trigger-processor",
      entrypoint: "./bin/processor.ts",
      permissions: mergePermissions(
        STORE_PERMISSIONS,
        mergePermissions(JOB_STORE_PERMISSIONS, SAGA_STORE_PERMISSIONS),
      ),
    })
    .withDefinitions([{
      folder: "triggers",
      kind: "trigger",
      builder: ["defineWebhook", "defineCron", "defineEvent"],
    }])
    .withDbSchemas([{ path: "./database/triggers.prisma", engine: "postgres" }])
    .withContractVersions(TRIGGERS_CONTRACT_VERSIONS)
    .withRuntimeConfigTopics([{ name: "triggers", schemaPath: "./runtime/triggers.schema.json" }])
    .withDashboardPanels([TRIGGERS_PANEL])
    .withTelemetry({ namespace: "triggers" })
    .withAspire("./src/aspire/mod.ts")
    .withRequires(["@netscript/plugin-workers"])
    .build();
}

/** The triggers plugin's manifest with the default secret variables. */
export const triggersManifest: TriggersManifest = defineTriggersPlugin();
