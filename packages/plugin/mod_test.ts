import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/plugin exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "composeRegistry",
    "type ContractVersionContribution",
    "DB_ENGINES",
    "type DbEngine",
    "type DbSchemaContribution",
    "definePlugin",
    "type DenoPermissions",
    "DenoPermissionsSchema",
    "isPluginManifest",
    "type ManifestIssue",
    "type ManifestSource",
    "type PermissionGrant",
    "PLUGIN_TYPES",
    "type PluginBuilder",
    "type PluginManifest",
    "type PluginType",
    "type ProcessorContribution",
    "type RegisteredConfigTopic",
    "type RegisteredContractVersion",
    "type RegisteredDbSchema",
    "type RegisteredPlugin",
    "type RegisteredProcessor",
    "type RegisteredService",
    "type RegisteredTopic",
    "type Registry",
    "renderPermissionFlags",
    "type RuntimeConfigTopicContribution",
    "type ServiceContribution",
    "type TelemetryContribution",
    "UNSTABLE_FEATURES",
    "type UnstableFeature",
    "validateManifest",
  ]);
});
