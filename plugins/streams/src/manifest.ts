import { NetScriptError } from "@netscript/contracts/errors";
import {
  type ContractVersionContribution,
  type DashboardPanelContribution,
  definePlugin,
  type DenoPermissions,
  type PluginManifest,
  type ServiceContribution,
  type StreamTopicContribution,
} from "@netscript/plugin";
import type { StreamsErrorCode } from "./streams_error_codes.ts";

/**
 * What `streams-api` needs beyond what the workspace grants: the Deno KV
 * file under `.netscript/data/` (the embedded store) and the variables it
 * reads (also passed on by the Aspire AppHost).
 */
const STORE_PERMISSIONS: DenoPermissions = {
  read: [".netscript/data"],
  write: [".netscript/data"],
  env: ["STREAMS_STORE", "STREAMS_KV_PATH", "STREAMS_LOG_LEVEL", "STREAMS_LONG_POLL_MS"],
  unstable: ["kv"],
};

/** The versions of `streams-api`'s contract: what the manifest declares and the API serves. */
export const STREAMS_CONTRACT_VERSIONS: readonly ContractVersionContribution[] = [
  { version: "v1", loader: () => import("../contracts/v1/mod.ts") },
];

/** The streams plugin's manifest type: its name, type and service. */
export type StreamsManifest = PluginManifest<
  "@netscript/plugin-streams",
  "service",
  readonly ServiceContribution<"streams-api">[],
  readonly []
>;

/** Options of {@linkcode defineStreamsPlugin}. */
export interface StreamsPluginOptions {
  /**
   * The workspace's own topics: each a name and the JSON Schema file of one
   * message, relative to `plugins/streams/`, e.g.
   * `{ name: "orders", schemaPath: "./topics/orders.schema.json" }`.
   * `streams-api` creates every topic of the workspace (these, and those
   * other plugins declare) when it starts, and refuses an append that
   * does not match the topic's schema with 422.
   * @default {[]}
   */
  readonly topics?: readonly StreamTopicContribution[] | undefined;
}

/**
 * The `streams` panel of `netscript dev`'s dashboard: the streams the store
 * holds, each opening on its newest appends (`GET /api/topics/{name}/tail`),
 * over `streams-api`'s contract. A stream's producers stay at
 * `GET /api/topics/{name}`.
 */
const STREAMS_PANEL: DashboardPanelContribution = {
  id: "streams",
  title: "Streams",
  service: "streams-api",
  views: [{
    kind: "table",
    title: "Topics",
    path: "/api/topics?limit=50",
    columns: [
      { field: "name", label: "Stream" },
      { field: "declaredBy", label: "Declared by" },
      { field: "appends", label: "Appends" },
      { field: "bytes", label: "Bytes" },
      { field: "nextOffset", label: "Next offset" },
      { field: "closed", label: "Closed" },
      { field: "createdAt", label: "Created" },
    ],
    detail: {
      path: "/api/topics/{name}/tail",
      list: "items",
      columns: [
        { field: "offset", label: "Offset" },
        { field: "committedAt", label: "Committed" },
        { field: "messages", label: "Messages" },
        { field: "preview", label: "Preview" },
      ],
    },
  }],
};

/**
 * Builds the streams plugin's manifest: `streams-api` on 8095, serving
 * the Durable Streams protocol at `/v1/stream/*` and the management
 * contract at `/api/topics`; the Postgres tables; contract `v1`; the
 * `streams` runtime configuration topic (retention); the
 * workspace's topics; the `streams` panel of `netscript dev`'s dashboard;
 * and the Aspire contribution. Paths are relative to
 * the workspace's `plugins/streams/`, whose `plugin.ts` calls it.
 *
 * @param options The workspace's topics.
 * @returns The manifest.
 * @throws {NetScriptError} `STREAMS_INVALID_TOPICS` for two topics with one name.
 *
 * @example
 * ```ts
 * import { defineStreamsPlugin } from "@netscript/plugin-streams";
 *
 * export default defineStreamsPlugin({
 *   topics: [{ name: "orders", schemaPath: "./topics/orders.schema.json" }],
 * });
 * ```
 */
export function defineStreamsPlugin(options: StreamsPluginOptions = {}): StreamsManifest {
  const topics = options.topics ?? [];
  const names = topics.map((topic) => topic.name);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) {
    throw new NetScriptError<StreamsErrorCode>(
      "STREAMS_INVALID_TOPICS",
      `defineStreamsPlugin() was given the topic name${repeated.length > 1 ? "s" : ""} ${
        repeated.map((name) => `"${name}"`).join(", ")
      } more than once; give each topic its own name`,
      { details: { repeated } },
    );
  }
  return definePlugin("@netscript/plugin-streams", "0.1.0")
    .withType("service")
    .withService({
      name: "streams-api",
      entrypoint: "./services/src/main.ts",
      port: 8095,
      permissions: STORE_PERMISSIONS,
    })
    .withDbSchemas([{ path: "./database/streams.prisma", engine: "postgres" }])
    .withStreamTopics(topics)
    .withContractVersions(STREAMS_CONTRACT_VERSIONS)
    .withRuntimeConfigTopics([{ name: "streams", schemaPath: "./runtime/streams.schema.json" }])
    .withDashboardPanels([STREAMS_PANEL])
    .withTelemetry({ namespace: "streams" })
    .withAspire("./src/aspire/mod.ts")
    .build();
}

/** The streams plugin's manifest with no topics of the workspace's own. */
export const streamsManifest: StreamsManifest = defineStreamsPlugin();
