/**
 * NetScript's streams plugin: durable streams served by `streams-api`
 * (port 8095) with the Durable Streams protocol at `/v1/stream/*`, kept
 * in Postgres or Deno KV. Declare your topics in the workspace's
 * `plugins/streams/plugin.ts`; append and read them with
 * `createDurableStream` from `@netscript/plugin-streams-core` (re-exported
 * here), in-process or over HTTP.
 *
 * @example
 * ```ts
 * // plugins/streams/plugin.ts
 * import { defineStreamsPlugin } from "@netscript/plugin-streams";
 *
 * export default defineStreamsPlugin({
 *   topics: [{ name: "orders", schemaPath: "./topics/orders.schema.json" }],
 * });
 * ```
 *
 * @module
 */

export {
  type AppendAck,
  createDurableStream,
  type DurableStream,
  type DurableStreamOptions,
  type ReadBatch,
  type ReadOptions,
  STREAMS_PATH,
} from "@netscript/plugin-streams-core";
export {
  AppendPreviewSchema,
  ListTopicsSchema,
  ProducerSchema,
  type StreamsContract,
  streamsContract,
  TopicDetailsSchema,
  TopicNameSchema,
  TopicPageSchema,
  TopicSchema,
  TopicTailQuerySchema,
  TopicTailSchema,
} from "../../contracts/v1/mod.ts";
export {
  defineStreamsPlugin,
  type StreamsManifest,
  streamsManifest,
  type StreamsPluginOptions,
} from "../manifest.ts";
export {
  DEFAULT_RETENTION_INTERVAL_SECONDS,
  type RetentionLoop,
  type RetentionLoopOptions,
  startRetentionLoop,
  type StreamsConfig,
} from "../runtime/retention_loop.ts";
export { createTopics, serveStreamsApi, type StreamsApiOptions } from "../runtime/processes.ts";
export {
  DEFAULT_STREAMS_KV_PATH,
  type OpenedStreamStore,
  openStreamStore,
  type StreamStoreKind,
} from "../runtime/store.ts";
export { createStreamsService, type StreamsServiceOptions } from "../service/streams_service.ts";
export {
  publish,
  StreamUnsupportedOperationError,
  subscribe,
} from "../stream_unsupported_operation_error.ts";
export { STREAMS_ERROR_CODES, type StreamsErrorCode } from "../streams_error_codes.ts";
