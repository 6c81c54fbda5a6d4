import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/runtime exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "type ConfigStoreSelection",
    "configurePluginTelemetry",
    "DEFAULT_CONFIG_KV_PATH",
    "type EnumSettingOptions",
    "envFrom",
    "type EnvReader",
    "type IntegerSettingOptions",
    "invalidSetting",
    "LOG_LEVELS",
    "MAX_CONCURRENCY",
    "openConfigStore",
    "type OpenConfigStoreOptions",
    "type PluginApiContext",
    "type PluginProcessOptions",
    "processEnv",
    "type ProcessorContext",
    "type ProcessorPart",
    "type ProcessorSettings",
    "readEnumSetting",
    "readIntegerSetting",
    "readLogLevel",
    "readProcessorSettings",
    "type ReadProcessorSettingsOptions",
    "runProcessor",
    "type RunProcessorOptions",
    "RUNTIME_ERROR_CODES",
    "type RuntimeErrorCode",
    "selectConfigStore",
    "servePluginApi",
    "type ServePluginApiOptions",
    "SHUTDOWN_GRACE_MS",
    "STOP_DEADLINE_MS",
  ]);
});
