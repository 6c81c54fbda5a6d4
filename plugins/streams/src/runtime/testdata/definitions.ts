/**
 * What `netscript registry generate` writes to
 * `.netscript/definitions/streams.ts`, for the process tests: the plugin
 * with its real `streams` config topic schema, and one workspace topic,
 * `crash-records`, whose messages are `{ producer, n }`.
 *
 * @module
 */
import type { PluginRuntime } from "@netscript/plugin";
import schema from "../../../scaffold/runtime/streams.schema.json" with { type: "json" };

/** The workspace topic the crash test writes to. */
export const CRASH_TOPIC = "crash-records";

export const plugin: PluginRuntime = {
  name: "@netscript/plugin-streams",
  version: "0.1.0",
  type: "service",
  slug: "streams",
  envPrefix: "STREAMS",
  telemetry: { namespace: "streams" },
  configTopics: [{ name: "streams", schema }],
  streamTopics: [],
  workspaceStreamTopics: [{
    name: CRASH_TOPIC,
    plugin: "@acme/plugin-crash",
    schema: {
      type: "object",
      properties: {
        producer: { type: "string" },
        n: { type: "integer", minimum: 0 },
      },
      required: ["producer", "n"],
      additionalProperties: false,
    },
  }],
};
