/**
 * The runtime kit every NetScript plugin stands on: run a background
 * processor (settings checked, span namespace, config topics, a graceful
 * stop on SIGINT or SIGTERM inside the runner's grace), serve a plugin's
 * API (`PORT` checked, resources closed on shutdown), read settings from
 * the environment with clear errors, and open the workspace's config store.
 * Store plumbing lives on subpaths, so a process loads only what it uses:
 * `@netscript/store` (choose the store, classify driver errors,
 * wake-ups), `/postgres` (a reconnecting `LISTEN`), `/redis` (connections
 * and a reconnecting subscriber) and `/kv` (open a KV file, watch a key).
 *
 * @example A plugin's processor entrypoint
 * ```ts ignore
 * import { runProcessor } from "@netscript/runtime";
 * import { plugin } from "../../.netscript/definitions/billing.ts";
 * import { createInvoiceSender, openBillingStore } from "../src/mod.ts";
 *
 * await runProcessor({
 *   plugin,
 *   resource: "billing-sender",
 *   parts: async ({ logger, settings, onClose, watchConfig }) => {
 *     const store = await openBillingStore();
 *     onClose(() => store.close());
 *     const sender = createInvoiceSender({ store, logger, concurrency: settings.concurrency });
 *     return [sender, watchConfig("billing", (value) => sender.configure(value))];
 *   },
 * });
 * ```
 *
 * @module
 */

export {
  type ConfigStoreSelection,
  DEFAULT_CONFIG_KV_PATH,
  openConfigStore,
  type OpenConfigStoreOptions,
  selectConfigStore,
} from "./config_store.ts";
export { envFrom, type EnvReader, processEnv } from "@netscript/store";
export {
  LOG_LEVELS,
  MAX_CONCURRENCY,
  type ProcessorSettings,
  readLogLevel,
  readProcessorSettings,
  type ReadProcessorSettingsOptions,
  SHUTDOWN_GRACE_MS,
} from "./processor_settings.ts";
export { configurePluginTelemetry } from "./configure_plugin_telemetry.ts";
export { loadContractVersions } from "./contract_versions.ts";
export type { PluginProcessOptions } from "./plugin_process_options.ts";
export {
  type ProcessorContext,
  type ProcessorPart,
  runProcessor,
  type RunProcessorOptions,
  STOP_DEADLINE_MS,
} from "./run_processor.ts";
export { RUNTIME_ERROR_CODES, type RuntimeErrorCode } from "./runtime_error_codes.ts";
export {
  type PluginApiContext,
  servePluginApi,
  type ServePluginApiOptions,
} from "./serve_plugin_api.ts";
export {
  type EnumSettingOptions,
  type IntegerSettingOptions,
  invalidSetting,
  readEnumSetting,
  readIntegerSetting,
} from "./settings.ts";
