import {
  createDurableStreamsHandler,
  encodeOffset,
  isExpired,
  type MessageCheck,
  type StreamRecord,
  STREAMS_PATH,
  type StreamStore,
} from "@netscript/plugin-streams-core";
import type { WorkspaceStreamTopic } from "@netscript/plugin";
import { compileJsonSchema } from "@netscript/runtime-config";
import { createService, type Guard, implement, type Service } from "@netscript/service";
import { createLogger, type Logger } from "@netscript/telemetry";
import type { z } from "zod";
import { streamsContract, type TopicDetailsSchema } from "../../contracts/v1/mod.ts";
import { previewAppend, readTopicTail } from "./topic_tail.ts";

/** Options of {@linkcode createStreamsService}. */
export interface StreamsServiceOptions {
  /** The stream store. */
  readonly store: StreamStore;
  /**
   * The workspace's declared topics: appends to them are checked against
   * their schema (422 when a message does not match).
   * @default {[]}
   */
  readonly topics?: readonly WorkspaceStreamTopic[] | undefined;
  /**
   * How long a long-poll read waits for new data before answering 204.
   * @default {30000}
   */
  readonly longPollTimeoutMs?: number | undefined;
  /**
   * The largest append body accepted; larger ones get 413.
   * @default {8388608}
   */
  readonly maxBodyBytes?: number | undefined;
  /**
   * The logger for request lines and failures.
   * @default {a JSON logger for the service "streams-api"}
   */
  readonly logger?: Logger | undefined;
  /**
   * Who may call it (see `createService`'s `guard`).
   * @default {a guard over auth-api when the workspace has the auth plugin}
   */
  readonly guard?: Guard | null | undefined;
}

/**
 * Creates `streams-api`: the Durable Streams protocol at `/v1/stream/*`
 * over a stream store, and the management contract
 * ({@linkcode streamsContract}) at `/api/topics`, whose reads (a stream's
 * tail included) leave its sliding TTL alone. While the store cannot be
 * reached, `/health` and the management procedures answer 503.
 *
 * @param options The store, the declared topics, limits and a logger.
 * @returns The service; call `serve()`.
 *
 * @example
 * ```ts
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 * import { createStreamsService } from "@netscript/plugin-streams";
 *
 * const service = createStreamsService({ store: await createMemoryStreamStore() });
 * const created = await service.fetch(
 *   new Request("http://localhost/v1/stream/orders", {
 *     method: "PUT",
 *     headers: { "content-type": "application/json" },
 *   }),
 * );
 * console.log(created.status); // 201
 * ```
 */
export function createStreamsService(options: StreamsServiceOptions): Service {
  const { store } = options;
  const logger = options.logger ?? createLogger({ service: "streams-api" });
  const checks = _messageChecks(options.topics ?? [], logger);
  const handler = createDurableStreamsHandler({
    store,
    basePath: STREAMS_PATH,
    checkMessage: (path) => checks.get(path),
    onError: (error, request) =>
      logger.error("stream request failed", {
        method: request.method,
        path: new URL(request.url).pathname,
        error,
      }),
    ...(options.longPollTimeoutMs === undefined
      ? {}
      : { longPollTimeoutMs: options.longPollTimeoutMs }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  const declaredBy = new Map(
    (options.topics ?? []).map((topic) => [STREAMS_PATH + topic.name, topic.plugin]),
  );
  const os = implement(streamsContract);
  const router = os.router({
    topics: {
      list: os.topics.list.handler(async ({ input }) => {
        const now = Date.now();
        const summaries = await store.list({
          prefix: STREAMS_PATH + (input.prefix ?? ""),
          ...(input.after === undefined ? {} : { after: STREAMS_PATH + input.after }),
          limit: input.limit + 1,
        });
        const page = summaries.slice(0, input.limit);
        return {
          items: page
            .filter(({ record }) => _visible(record, now))
            .map((summary) => _topic(summary.record, summary, declaredBy)),
          next: summaries.length > input.limit ? _name(page.at(-1)!.record.path) : null,
        };
      }),
      get: os.topics.get.handler(async ({ input, errors }) => {
        const path = STREAMS_PATH + input.name;
        const record = await _liveRecord(store, path);
        if (record === undefined) {
          throw errors.NOT_FOUND({ data: { resource: "stream", id: input.name } });
        }
        const [summary] = await store.list({ prefix: path, limit: 1 });
        const sizes = summary?.record.path === path ? summary : { bytes: 0, chunks: 0 };
        return {
          ..._topic(record, sizes, declaredBy),
          producers: Object.entries(record.producers)
            .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
            .map(([id, state]) => ({
              id,
              epoch: state.epoch,
              seq: state.seq,
              updatedAt: new Date(state.updatedAt).toISOString(),
            })),
        } satisfies z.input<typeof TopicDetailsSchema>;
      }),
      tail: os.topics.tail.handler(async ({ input, errors }) => {
        const record = await _liveRecord(store, STREAMS_PATH + input.name);
        if (record === undefined) {
          throw errors.NOT_FOUND({ data: { resource: "stream", id: input.name } });
        }
        const chunks = await readTopicTail(store, record, input.limit);
        return { items: chunks.map((chunk) => previewAppend(chunk, record.contentType)) };
      }),
    },
  });
  return createService({
    name: "streams-api",
    version: "1.0.0",
    description:
      "Durable streams: the Durable Streams protocol at /v1/stream/{name}, and the streams a store holds.",
    contract: streamsContract,
    router,
    currentVersion: "v1",
    healthChecks: { store: async () => void (await store.list({ limit: 1 })) },
    ...(options.guard === undefined ? {} : { guard: options.guard }),
    defaultAccess: "writes",
    mounts: [{ prefix: STREAMS_PATH, fetch: handler }],
    logger,
  });
}

/** A JSON Schema check per declared topic's path. */
function _messageChecks(
  topics: readonly WorkspaceStreamTopic[],
  logger: Logger,
): Map<string, MessageCheck> {
  const checks = new Map<string, MessageCheck>();
  for (const topic of topics) {
    const validate = compileJsonSchema(topic.schema, {
      subject: `stream topic "${topic.name}"`,
      logger,
    });
    checks.set(STREAMS_PATH + topic.name, (message) => {
      const result = validate(message);
      return result.ok ? [] : result.issues;
    });
  }
  return checks;
}

/** A stream's record, unless it is missing, soft-deleted or expired; reading it touches nothing. */
async function _liveRecord(store: StreamStore, path: string): Promise<StreamRecord | undefined> {
  const record = await store.get(path);
  return record !== undefined && _visible(record, Date.now()) ? record : undefined;
}

/** A stream a client can reach: not soft-deleted, not expired. */
function _visible(record: StreamRecord, now: number): boolean {
  return !record.softDeleted && !isExpired(record, now);
}

function _name(path: string): string {
  return path.slice(STREAMS_PATH.length);
}

function _topic(
  record: StreamRecord,
  sizes: { bytes: number; chunks: number },
  declaredBy: ReadonlyMap<string, string>,
) {
  return {
    name: _name(record.path),
    contentType: record.contentType,
    declaredBy: declaredBy.get(record.path) ?? null,
    createdAt: new Date(record.createdAt).toISOString(),
    closed: record.closed,
    bytes: sizes.bytes,
    appends: sizes.chunks,
    firstOffset: encodeOffset(record.trimmedTo),
    nextOffset: encodeOffset(record.tail),
    ttlSeconds: record.ttlSeconds,
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
    forkedFrom: record.fork === null ? null : _name(record.fork.source),
  };
}
