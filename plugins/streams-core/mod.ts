/**
 * Durable streams for NetScript: the Durable Streams protocol over a
 * {@linkcode StreamStore} port, with Postgres, Deno KV and memory adapters.
 *
 * @example Serve the protocol over the memory store
 * ```ts
 * import { createDurableStreamsHandler } from "@netscript/plugin-streams-core";
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 *
 * const store = await createMemoryStreamStore();
 * const handler = createDurableStreamsHandler({ store, longPollTimeoutMs: 500 });
 * const created = await handler(
 *   new Request("http://localhost/v1/stream/orders", { method: "PUT", headers: { "Content-Type": "application/json" } }),
 * );
 * console.log(created.status); // 201
 * await store.close();
 * ```
 *
 * @module
 */

export type {
  ForkOrigin,
  ProducerState,
  ReadChunksOptions,
  StreamChunk,
  StreamRecord,
  StreamStore,
  StreamSummary,
  StreamWrite,
} from "./src/ports/stream_store.ts";
export {
  createDurableStreamsHandler,
  type DurableStreamsHandler,
  type DurableStreamsHandlerOptions,
} from "./src/protocol/durable_streams_handler.ts";
export { isTextContentType } from "./src/protocol/content_type.ts";
export { type MessageCheck, type MessageIssue } from "./src/protocol/message_check.ts";
export { encodeOffset, parseOffset, type RequestedOffset } from "./src/protocol/offsets.ts";
export {
  applyRetention,
  type ApplyRetentionOptions,
  type RetentionPolicy,
  type RetentionReport,
} from "./src/protocol/retention.ts";
export {
  expireStreams,
  type ExpireStreamsOptions,
  isExpired,
} from "./src/protocol/stream_lifecycle.ts";
export {
  type AppendAck,
  createDurableStream,
  type DurableStream,
  type DurableStreamOptions,
  type ReadBatch,
  type ReadOptions,
  type RetryPolicy,
  type StreamFetch,
  STREAMS_PATH,
} from "./src/durable_stream/create_durable_stream.ts";
export { STREAMS_CORE_ERROR_CODES, type StreamsCoreErrorCode } from "./src/streams_error_codes.ts";
