/**
 * The plugin system's vocabulary. A plugin declares what it contributes with
 * `definePlugin(name, version).with…().build()`: services and background
 * processors (each its own Deno process with its own permissions), folders
 * of user definitions, database schema fragments, stream and runtime-config
 * topics, contract versions, telemetry labels, panels of `netscript dev`'s
 * dashboard and an Aspire contribution. `composeRegistry` turns the
 * workspace's manifests into one registry, rejecting conflicts with errors
 * that name both contributors.
 *
 * @example
 * ```ts
 * import { definePlugin } from "@netscript/plugin";
 *
 * export default definePlugin("@acme/plugin-hello", "0.1.0")
 *   .withType("service")
 *   .withService({ name: "hello-api", entrypoint: "./services/main.ts", port: 8100 })
 *   .build();
 * ```
 *
 * @module
 */

export {
  composeRegistry,
  type ManifestSource,
  type RegisteredContractVersion,
  type RegisteredDashboardPanel,
  type RegisteredDbSchema,
  type RegisteredDefinitions,
  type RegisteredPlugin,
  type RegisteredProcessor,
  type RegisteredResource,
  type RegisteredService,
  type RegisteredTopic,
  type Registry,
  RESERVED_PORTS,
  RESERVED_RESOURCE_NAMES,
} from "./compose_registry.ts";
export {
  type DashboardAction,
  type DashboardColumn,
  type DashboardCountsView,
  type DashboardDetail,
  type DashboardPanelContribution,
  type DashboardTableView,
  type DashboardView,
} from "./dashboard_panel.ts";
export { definePlugin, type PluginBuilder } from "./define_plugin.ts";
export { type DefinitionFile, definitionFiles, type DefinitionKind } from "./definition_files.ts";
export {
  type ContractVersionContribution,
  DB_ENGINES,
  type DbEngine,
  type DbSchemaContribution,
  type DefinitionsContribution,
  isPluginManifest,
  PLUGIN_TYPES,
  type PluginManifest,
  type PluginType,
  type ProcessorContribution,
  type RuntimeConfigTopicContribution,
  type ServiceContribution,
  type StreamTopicContribution,
  type TelemetryContribution,
} from "./manifest.ts";
export {
  type ManifestIssue,
  RESERVED_DEFINITION_FOLDERS,
  validateManifest,
} from "./manifest_schema.ts";
export { parseDotenv } from "./parse_dotenv.ts";
export { PLUGIN_ERROR_CODES, type PluginErrorCode } from "./plugin_error_codes.ts";
export { PLUGIN_NAME_PATTERN, pluginEnvPrefix, pluginSlug } from "./plugin_name.ts";
export {
  type JsonSchemaObject,
  type PluginRuntime,
  type RuntimeTopic,
  type WorkspaceStreamTopic,
} from "./plugin_runtime.ts";
export {
  APP_SERVICE,
  aspireEnvName,
  buildResourceGraph,
  type BuildResourceGraphOptions,
  type DataStoreResource,
  LOCAL_DATABASE_URLS,
  type ProcessResource,
  type Resource,
  type ResourceGraph,
  SERVICE_RUNTIME_FLAGS,
} from "./resource_graph.ts";
export {
  CACHE_BACKENDS,
  type CacheBackend,
  defineConfig,
  type InstalledPlugin,
  type NetScriptConfig,
} from "./workspace_config.ts";
export {
  checkGrantedPermissions,
  type DenoPermissions,
  DenoPermissionsSchema,
  type GrantedPermissionsCheck,
  mergePermissions,
  type PermissionGrant,
  renderPermissionFlags,
  UNSTABLE_FEATURES,
  type UnstableFeature,
} from "./permissions.ts";
export {
  assertPermissionsGranted,
  type PermissionViolation,
  permissionViolations,
} from "./permission_policy.ts";
