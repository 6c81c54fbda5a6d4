import type { PluginRuntime } from "@netscript/plugin";
import { configureTelemetry } from "@netscript/telemetry";

/**
 * Sets the process's span namespace and attributes from the plugin's
 * `withTelemetry({ namespace, resourceAttributes })`, when it declares one.
 *
 * @param plugin The plugin.
 *
 * @example
 * ```ts
 * import { configurePluginTelemetry } from "@netscript/runtime";
 *
 * configurePluginTelemetry({
 *   name: "@acme/plugin-billing",
 *   version: "0.1.0",
 *   type: "background-processor",
 *   slug: "billing",
 *   envPrefix: "BILLING",
 *   telemetry: { namespace: "billing" },
 *   configTopics: [],
 *   streamTopics: [],
 *   workspaceStreamTopics: [],
 * }); // spans from withSpan("charge") are now named "billing.charge"
 * ```
 */
export function configurePluginTelemetry(plugin: PluginRuntime): void {
  const telemetry = plugin.telemetry;
  if (telemetry === undefined) return;
  configureTelemetry({
    namespace: telemetry.namespace,
    attributes: telemetry.resourceAttributes,
  });
}
