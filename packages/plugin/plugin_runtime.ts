import type { PluginType, TelemetryContribution } from "./manifest.ts";

/** A JSON Schema document, as read from a plugin's schema file. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

/** A topic a plugin's processes use at run time: its name and its JSON Schema. */
export interface RuntimeTopic {
  /** The topic name, e.g. `workers`. */
  readonly name: string;
  /** The topic's JSON Schema, embedded at generation time. */
  readonly schema: JsonSchemaObject;
}

/**
 * What a plugin's own processes know about their plugin, exported as
 * `plugin` by the generated `.netscript/definitions/<slug>.ts`: its names,
 * its telemetry labels, and its config and stream topics with their schemas.
 */
export interface PluginRuntime {
  /** The plugin name, e.g. `@netscript/plugin-workers`. */
  readonly name: string;
  /** The plugin's version. */
  readonly version: string;
  /** What kind of plugin it is. */
  readonly type: PluginType;
  /** The slug: its folder under `plugins/` and its resource-name prefix, e.g. `workers`. */
  readonly slug: string;
  /** The prefix of the variables its processes read, e.g. `WORKERS`. */
  readonly envPrefix: string;
  /** How its telemetry is labelled, when declared. */
  readonly telemetry?: TelemetryContribution | undefined;
  /** Its runtime configuration topics. */
  readonly configTopics: readonly RuntimeTopic[];
  /** The durable stream topics it produces. */
  readonly streamTopics: readonly RuntimeTopic[];
  /**
   * Every durable stream topic declared in the workspace, by any plugin:
   * what a plugin that serves or consumes topics (streams, event triggers)
   * creates and validates against.
   */
  readonly workspaceStreamTopics: readonly WorkspaceStreamTopic[];
}

/** A stream topic of the workspace, with the plugin that declares it. */
export interface WorkspaceStreamTopic extends RuntimeTopic {
  /** The declaring plugin's name, e.g. `@acme/plugin-orders`. */
  readonly plugin: string;
}
