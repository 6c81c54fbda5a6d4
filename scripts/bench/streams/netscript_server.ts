/**
 * `streams-api` for `deno task bench:streams`, as a workspace runs it: the
 * streams plugin with no declared topics, so the benchmark's streams are
 * created by its requests. The store, port and log level come from the
 * environment (`STREAMS_STORE`, `DATABASE_URL`, `STREAMS_KV_PATH`, `PORT`,
 * `STREAMS_LOG_LEVEL`).
 *
 * @module
 */
import type { PluginRuntime } from "@netscript/plugin";
import { serveStreamsApi } from "@netscript/plugin-streams";
import schema from "../../../plugins/streams/scaffold/runtime/streams.schema.json" with {
  type: "json",
};

const plugin: PluginRuntime = {
  name: "@netscript/plugin-streams",
  version: "0.1.0",
  type: "service",
  slug: "streams",
  envPrefix: "STREAMS",
  telemetry: { namespace: "streams" },
  configTopics: [{ name: "streams", schema }],
  streamTopics: [],
  workspaceStreamTopics: [],
};

await serveStreamsApi({ plugin, resource: "streams-api" });
