import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../../tests/support/exports.ts";

Deno.test("@netscript/plugin-streams exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "type AppendAck",
    "AppendPreviewSchema",
    "createDurableStream",
    "createStreamsService",
    "createTopics",
    "DEFAULT_RETENTION_INTERVAL_SECONDS",
    "DEFAULT_STREAMS_KV_PATH",
    "defineStreamsPlugin",
    "type DurableStream",
    "type DurableStreamOptions",
    "ListTopicsSchema",
    "type OpenedStreamStore",
    "openStreamStore",
    "ProducerSchema",
    "publish",
    "type ReadBatch",
    "type ReadOptions",
    "type RetentionLoop",
    "type RetentionLoopOptions",
    "serveStreamsApi",
    "startRetentionLoop",
    "STREAMS_ERROR_CODES",
    "STREAMS_PATH",
    "type StreamsApiOptions",
    "type StreamsConfig",
    "streamsContract",
    "type StreamsContract",
    "type StreamsErrorCode",
    "streamsManifest",
    "type StreamsManifest",
    "type StreamsPluginOptions",
    "type StreamsServiceOptions",
    "type StreamStoreKind",
    "StreamUnsupportedOperationError",
    "subscribe",
    "TopicDetailsSchema",
    "TopicNameSchema",
    "TopicPageSchema",
    "TopicSchema",
    "TopicTailQuerySchema",
    "TopicTailSchema",
  ]);
});

Deno.test("the scaffold's Postgres fragment is the one the store's adapter is tested with", async () => {
  const scaffold = await Deno.readTextFile(
    new URL("../../scaffold/database/streams.prisma", import.meta.url),
  );
  const adapter = await Deno.readTextFile(
    new URL("../../../streams-core/src/adapters/postgres/streams.prisma", import.meta.url),
  );
  deepEqual(scaffold, adapter);
});
