import { NetScriptError, type StoreErrorCode } from "@netscript/contracts/errors";
import { type PluginProcessOptions, readIntegerSetting, servePluginApi } from "@netscript/runtime";
import type { RunningService, Service } from "@netscript/service";
import type { WorkspaceStreamTopic } from "@netscript/plugin";
import { STREAMS_PATH } from "@netscript/plugin-streams-core";
import { STREAMS_CONTRACT_VERSIONS } from "../manifest.ts";
import { createStreamsService } from "../service/streams_service.ts";
import type { StreamsErrorCode } from "../streams_error_codes.ts";
import { startRetentionLoop, type StreamsConfig } from "./retention_loop.ts";
import { openStreamStore } from "./store.ts";

/** Options of {@linkcode serveStreamsApi}: those of every plugin process, the resource's name optional. */
export interface StreamsApiOptions extends Omit<PluginProcessOptions, "resource"> {
  /**
   * The resource this process is, as the runner names it.
   * @default {"streams-api"}
   */
  readonly resource?: string | undefined;
}

/**
 * Serves `streams-api` (the workspace's `plugins/streams/services/src/main.ts`
 * calls it): opens the store `STREAMS_STORE` selects, creates every stream
 * topic of the workspace as a JSON stream, serves the Durable Streams
 * protocol and the management contract on `PORT` (8095), and runs
 * retention as the `streams` config topic says. `STREAMS_LONG_POLL_MS`
 * sets how long a long-poll read waits (default 30000).
 *
 * @param options The plugin, from its generated definitions module.
 * @returns The running service.
 * @throws {NetScriptError} `STREAMS_TOPIC_CONFLICT` when a declared
 * topic's name is taken by a stream that is not a JSON stream;
 * `RUNTIME_INVALID_SETTING`; the store's codes.
 *
 * @example
 * ```ts ignore
 * import { serveStreamsApi } from "@netscript/plugin-streams";
 * import { plugin } from "../../../../.netscript/definitions/streams.ts";
 *
 * await serveStreamsApi({ plugin });
 * ```
 */
export function serveStreamsApi(options: StreamsApiOptions): Promise<RunningService> {
  return servePluginApi({
    ...options,
    resource: options.resource ?? "streams-api",
    defaultPort: 8095,
    contractVersions: STREAMS_CONTRACT_VERSIONS,
    async service(context) {
      const longPollTimeoutMs = readIntegerSetting("STREAMS_LONG_POLL_MS", {
        env: context.env,
        default: 30_000,
        min: 100,
        max: 300_000,
      });
      const opened = await openStreamStore(context.env);
      context.onClose(() => opened.store.close());
      const topics = context.plugin.workspaceStreamTopics;
      const service = createStreamsService({
        store: opened.store,
        topics,
        longPollTimeoutMs,
        logger: context.logger,
      });
      await createTopics(service, topics);
      context.logger.info("streams ready", {
        store: opened.kind,
        location: opened.location,
        topics: topics.map((topic) => topic.name),
      });
      const retention = startRetentionLoop({
        store: opened.store,
        prefix: STREAMS_PATH,
        logger: context.logger,
      });
      const stopWatching = new AbortController();
      const config = await context.config<StreamsConfig>("streams");
      const watching = config.watch((value) => retention.configure(value), {
        signal: stopWatching.signal,
      });
      context.onClose(async () => {
        stopWatching.abort();
        await watching;
        await retention.stop();
      });
      return service;
    },
  });
}

/**
 * Creates each declared topic as a JSON stream through the service, as a
 * client would; a topic that exists as a JSON stream is kept as it is.
 *
 * @param service The streams service.
 * @param topics The workspace's stream topics.
 * @throws {NetScriptError} `STREAMS_TOPIC_CONFLICT` naming the topic and its
 * plugin; `SCHEMA_MISSING` when the PostgreSQL tables are missing;
 * `STORE_UNAVAILABLE` for any other failure.
 */
export async function createTopics(
  service: Service,
  topics: readonly WorkspaceStreamTopic[],
): Promise<void> {
  for (const topic of topics) {
    const response = await service.fetch(
      new Request(`http://streams-api${STREAMS_PATH}${topic.name}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
      }),
    );
    const answer = await response.text();
    if (response.status === 200 || response.status === 201) continue;
    if (response.status !== 409) throw _storeRefusal(topic, response.status, answer);
    throw new NetScriptError<StreamsErrorCode>(
      "STREAMS_TOPIC_CONFLICT",
      `Cannot create stream topic "${topic.name}" of ${topic.plugin}: streams-api answered ${response.status} (${
        answer.slice(0, 200)
      }); a stream of that name exists with another content type or settings; delete it (DELETE ${STREAMS_PATH}${topic.name}) or rename the topic`,
      { details: { topic: topic.name, plugin: topic.plugin, status: response.status } },
    );
  }
}

/**
 * The error for a topic the store could not create: `SCHEMA_MISSING` with
 * the command that fixes it when the service answered so, else
 * `STORE_UNAVAILABLE`.
 */
function _storeRefusal(
  topic: WorkspaceStreamTopic,
  status: number,
  answer: string,
): NetScriptError<StoreErrorCode> {
  const code = _answerCode(answer) === "SCHEMA_MISSING" ? "SCHEMA_MISSING" : "STORE_UNAVAILABLE";
  const fix = code === "SCHEMA_MISSING"
    ? "the streams tables are missing; run netscript db migrate (netscript db deploy in production), then start streams-api again"
    : "see the error logged before this one";
  return new NetScriptError<StoreErrorCode>(
    code,
    `Cannot create stream topic "${topic.name}" of ${topic.plugin}: streams-api answered ${status} (${
      answer.slice(0, 200)
    }); ${fix}`,
    { details: { topic: topic.name, status, dependency: "stream store" } },
  );
}

function _answerCode(answer: string): unknown {
  try {
    return JSON.parse(answer)?.code;
  } catch {
    return undefined;
  }
}
