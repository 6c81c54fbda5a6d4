/**
 * A plugin as a generated definitions module describes it, for the kit's tests.
 *
 * @module
 */
import type { PluginRuntime } from "@netscript/plugin";

export const billing: PluginRuntime = {
  name: "@acme/plugin-billing",
  version: "0.1.0",
  type: "background-processor",
  slug: "billing",
  envPrefix: "BILLING",
  telemetry: { namespace: "billing", resourceAttributes: { "billing.tier": "test" } },
  configTopics: [{
    name: "billing",
    schema: {
      type: "object",
      additionalProperties: false,
      properties: { batch: { type: "integer", minimum: 1, maximum: 100 } },
    },
  }],
  streamTopics: [],
  workspaceStreamTopics: [],
};
