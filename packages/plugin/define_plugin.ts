import type { DashboardPanelContribution } from "./dashboard_panel.ts";
import {
  brandManifest,
  type ContractVersionContribution,
  type DbSchemaContribution,
  type DefinitionsContribution,
  type PluginManifest,
  type PluginType,
  type ProcessorContribution,
  type RuntimeConfigTopicContribution,
  type ServiceContribution,
  type StreamTopicContribution,
  type TelemetryContribution,
} from "./manifest.ts";
import { validateManifest } from "./manifest_schema.ts";

/**
 * The builder `definePlugin()` returns. Every `with…()` call only names a
 * contribution and returns a new builder; nothing runs until `build()`.
 */
export interface PluginBuilder<
  TName extends string,
  TType extends PluginType,
  TServices extends readonly ServiceContribution[],
  TProcessors extends readonly ProcessorContribution[],
> {
  /** Sets what kind of plugin this is (default `library`). */
  withType<const T extends PluginType>(type: T): PluginBuilder<TName, T, TServices, TProcessors>;
  /** Adds an HTTP API that runs as its own process. */
  withService<const T extends ServiceContribution>(
    service: T,
  ): PluginBuilder<TName, TType, readonly [...TServices, T], TProcessors>;
  /** Adds a background process. */
  withBackgroundProcessor<const T extends ProcessorContribution>(
    processor: T,
  ): PluginBuilder<TName, TType, TServices, readonly [...TProcessors, T]>;
  /** Adds Prisma schema fragments the plugin owns. */
  withDbSchemas(
    schemas: readonly DbSchemaContribution[],
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /**
   * Adds workspace folders of user definitions the plugin runs. Registry
   * generation writes `.netscript/definitions/<slug>.ts`, which imports every
   * file under them, checked against `kind`, for the plugin's processes.
   */
  withDefinitions(
    definitions: readonly DefinitionsContribution[],
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /** Adds durable stream topics the plugin produces, each with the JSON Schema of its events. */
  withStreamTopics(
    topics: readonly StreamTopicContribution[],
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /** Adds runtime configuration topics with their JSON Schemas. */
  withRuntimeConfigTopics(
    topics: readonly RuntimeConfigTopicContribution[],
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /** Adds versions of the plugin's API contract, each loaded on demand. */
  withContractVersions(
    versions: readonly ContractVersionContribution[],
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /**
   * Adds panels to `netscript dev`'s dashboard: views (counts, tables with
   * row buttons and drill-down) over the REST routes of one of the plugin's
   * own services.
   */
  withDashboardPanels(
    panels: readonly DashboardPanelContribution[],
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /** Sets how the plugin's telemetry is labelled. */
  withTelemetry(
    telemetry: TelemetryContribution,
  ): PluginBuilder<TName, TType, TServices, TProcessors>;
  /** Sets the module holding the plugin's Aspire contribution. */
  withAspire(path: string): PluginBuilder<TName, TType, TServices, TProcessors>;
  /** Names the plugins this one cannot run without; a workspace without them is refused. */
  withRequires(plugins: readonly string[]): PluginBuilder<TName, TType, TServices, TProcessors>;
  /**
   * Validates the contributions and returns the deeply frozen manifest.
   *
   * @throws {NetScriptError} `PLUGIN_INVALID_MANIFEST` listing each offending field.
   */
  build(): PluginManifest<TName, TType, TServices, TProcessors>;
}

type Draft = { -readonly [K in keyof PluginManifest]: PluginManifest[K] };

/**
 * Starts a plugin manifest. Chain the axes the plugin contributes to, then
 * call `build()`; the result is what a workspace's `plugins/<name>/plugin.ts`
 * default-exports.
 *
 * @param name The plugin name, like its package: `@acme/plugin-billing`, or a
 * bare `billing`; its slug (`billing`) names its folder and variables.
 * @param version The plugin's semantic version.
 * @returns The builder.
 *
 * @example
 * ```ts
 * import { definePlugin } from "@netscript/plugin";
 *
 * export default definePlugin("@acme/plugin-mailer", "0.1.0")
 *   .withType("background-processor")
 *   .withService({ name: "mailer-api", entrypoint: "./services/main.ts", port: 8110 })
 *   .withBackgroundProcessor({
 *     name: "mailer-sender",
 *     entrypoint: "./bin/sender.ts",
 *     concurrency: 2,
 *     permissions: { net: ["smtp.example.com:587"] },
 *   })
 *   .withDefinitions([{ folder: "mails", kind: "mail", builder: "defineMail" }])
 *   .withRuntimeConfigTopics([{ name: "mailer", schemaPath: "./runtime/mailer.schema.json" }])
 *   .withTelemetry({ namespace: "mailer" })
 *   .build();
 * ```
 */
export function definePlugin<const TName extends string>(
  name: TName,
  version: string,
): PluginBuilder<TName, "library", readonly [], readonly []> {
  return _builder({
    name,
    version,
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
}

function _builder<
  TName extends string,
  TType extends PluginType,
  TServices extends readonly ServiceContribution[],
  TProcessors extends readonly ProcessorContribution[],
>(draft: Draft): PluginBuilder<TName, TType, TServices, TProcessors> {
  // deno-lint-ignore no-explicit-any
  const next = (changes: Partial<Draft>): any => _builder({ ...draft, ...changes });
  return {
    withType: (type) => next({ type }),
    withService: (service) => next({ services: [...draft.services, service] }),
    withBackgroundProcessor: (processor) => next({ processors: [...draft.processors, processor] }),
    withDbSchemas: (schemas) => next({ dbSchemas: [...draft.dbSchemas, ...schemas] }),
    withDefinitions: (definitions) => next({ definitions: [...draft.definitions, ...definitions] }),
    withStreamTopics: (topics) => next({ streamTopics: [...draft.streamTopics, ...topics] }),
    withRuntimeConfigTopics: (topics) =>
      next({ runtimeConfigTopics: [...draft.runtimeConfigTopics, ...topics] }),
    withContractVersions: (versions) =>
      next({ contractVersions: [...draft.contractVersions, ...versions] }),
    withDashboardPanels: (panels) =>
      next({ dashboardPanels: [...draft.dashboardPanels, ...panels] }),
    withTelemetry: (telemetry) => next({ telemetry }),
    withAspire: (aspire) => next({ aspire }),
    withRequires: (plugins) => next({ requires: [...(draft.requires ?? []), ...plugins] }),
    build: () => {
      const manifest = _copy(validateManifest(_copy(draft), { loaders: true }));
      brandManifest(manifest);
      return _deepFreeze(manifest) as PluginManifest<TName, TType, TServices, TProcessors>;
    },
  };
}

/** A structural copy that keeps functions (contract loaders) as they are. */
function _copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(_copy) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, _copy(v)]),
  ) as T;
}

function _deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) _deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
