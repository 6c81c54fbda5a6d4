/**
 * {@linkcode createDurableStream}: a typed producer and consumer of one
 * JSON stream, over HTTP against `streams-api` or in-process against a
 * handler.
 *
 * @module
 */
import { withServiceCredential } from "@netscript/contracts/credential";
import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import type { z } from "zod";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { type AppendAck, BatchingProducer } from "./_batching_producer.ts";
import {
  DEFAULT_RETRY,
  refusal,
  type RetryPolicy,
  type RetrySettings,
  sendWithRetries,
  type StreamEndpoint,
  type StreamFetch,
} from "./_protocol_client.ts";
import { type ReadBatch, readBatches } from "./_stream_reader.ts";

export type { AppendAck, ReadBatch, RetryPolicy, StreamFetch };

/** The path under which `streams-api` serves streams. */
export const STREAMS_PATH = "/v1/stream/";

/** Options of {@linkcode createDurableStream}. */
export interface DurableStreamOptions<TSchema extends z.ZodType> {
  /** The stream's name: a declared topic, or any name; its URL is `<url>/v1/stream/<topic>`. */
  readonly topic: string;
  /** The schema of one message: appends are checked against it, reads are parsed with it. */
  readonly schema: TSchema;
  /** The base URL of `streams-api`, e.g. `http://127.0.0.1:8095`. */
  readonly url: string;
  /**
   * Sends requests: pass a Durable Streams handler to work in-process
   * (`createDurableStreamsHandler({ store })`), with `url` any base.
   * @default {globalThis.fetch; a request to one of the workspace's services carries a service credential}
   */
  readonly fetch?: StreamFetch | undefined;
  /**
   * The `Producer-Id` appends are sent with. Give a stable id to one
   * logical writer; two live writers must not share one.
   * @default {a random UUID}
   */
  readonly producerId?: string | undefined;
  /**
   * The first `Producer-Epoch` tried. The default, the time the producer is
   * created, is higher than any earlier run's, so a restarted writer fences
   * the old one; a fenced first append claims the epoch after the server's.
   * @default {Date.now()}
   */
  readonly epoch?: number | undefined;
  /**
   * The most messages one append request carries; appends made while a
   * request is in flight are batched up to this many.
   * @default {500}
   */
  readonly maxBatchMessages?: number | undefined;
  /** How requests that fail for a passing reason are retried. */
  readonly retry?: RetryPolicy | undefined;
  /** Ends retries and live reads. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@linkcode DurableStream.read}. */
export interface ReadOptions {
  /**
   * Where to start: `"start"`, `"now"` (only what is appended from now on),
   * or an offset from an earlier batch or append.
   * @default {"start"}
   */
  readonly from?: string | undefined;
  /**
   * Keep waiting for new messages at the tail (long-poll) instead of
   * ending there; the iteration then ends only when the stream is closed,
   * the loop breaks, or the stream's signal aborts.
   * @default {false}
   */
  readonly live?: boolean | undefined;
}

/**
 * A typed producer and consumer of one JSON stream: `T` is what reads
 * yield (the schema's output), `TInput` what appends take (its input).
 */
export interface DurableStream<T, TInput = T> {
  /** The stream's name. */
  readonly topic: string;
  /** The `Producer-Id` appends are sent with. */
  readonly producerId: string;
  /**
   * Creates the stream as a JSON stream if it does not exist; a declared
   * topic already exists once `streams-api` has started.
   *
   * @returns Resolves once the stream exists.
   * @throws {NetScriptError} `STREAMS_CONFIG_MISMATCH` when a stream of
   * another content type has the name.
   */
  create(): Promise<void>;
  /**
   * Checks a message against the schema and appends it. Messages appended
   * while a request is in flight go out together in the next one; each
   * request is retried with the same producer numbers until the server
   * answers, so nothing is written twice.
   *
   * @param message The message.
   * @returns Resolves once the message is committed.
   * @throws {NetScriptError} `STREAMS_INVALID_MESSAGE` (nothing is sent);
   * `STREAMS_PRODUCER_FENCED` once a newer writer owns the producer id;
   * `STREAMS_CLOSED`; `STREAMS_NOT_FOUND`; `STREAMS_UNREACHABLE`. After
   * any of the last four, later appends fail the same way.
   */
  append(message: TInput): Promise<AppendAck>;
  /**
   * Waits until every append made so far is committed or refused.
   *
   * @returns Resolves when nothing is in flight.
   */
  flush(): Promise<void>;
  /**
   * Reads the stream in batches, each message parsed with the schema.
   *
   * @param options Where to start, and whether to wait for new messages.
   * @returns The batches.
   * @throws {NetScriptError} `STREAMS_INVALID_MESSAGE` for a stored message
   * the schema refuses; `STREAMS_NOT_FOUND`; `STREAMS_OFFSET_GONE` before
   * retained data; `STREAMS_UNREACHABLE`.
   */
  read(options?: ReadOptions): AsyncGenerator<ReadBatch<T>, void, undefined>;
  /**
   * Closes the stream for every writer once pending appends are in: readers
   * see its end.
   *
   * @returns Resolves once the stream is closed.
   */
  closeStream(): Promise<void>;
}

/**
 * Creates a typed producer and consumer of one JSON stream of `streams-api`
 * (or of any Durable Streams server). The same object works in-process:
 * pass the handler as `fetch`.
 *
 * @param options The stream, its schema, and where it is served.
 * @returns The stream.
 * @throws {RangeError} For an empty topic or a batch size below 1.
 *
 * @example
 * ```ts
 * import { createDurableStream, createDurableStreamsHandler } from "@netscript/plugin-streams-core";
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 * import { z } from "zod";
 *
 * const handler = createDurableStreamsHandler({ store: await createMemoryStreamStore() });
 * const orders = createDurableStream({
 *   topic: "orders",
 *   schema: z.object({ id: z.string(), total: z.number() }),
 *   url: "http://in-process",
 *   fetch: handler,
 * });
 * await orders.create();
 * await orders.append({ id: "o-1", total: 12.5 });
 * for await (const batch of orders.read()) console.log(batch.messages);
 * ```
 */
export function createDurableStream<TSchema extends z.ZodType>(
  options: DurableStreamOptions<TSchema>,
): DurableStream<z.output<TSchema>, z.input<TSchema>> {
  type T = z.output<TSchema>;
  if (options.topic.length === 0) throw new RangeError("createDurableStream() needs a topic");
  const maxBatchMessages = options.maxBatchMessages ?? 500;
  if (!Number.isSafeInteger(maxBatchMessages) || maxBatchMessages < 1) {
    throw new RangeError(`maxBatchMessages must be a positive integer, got ${maxBatchMessages}`);
  }
  const { topic, schema } = options;
  const endpoint: StreamEndpoint = {
    url: `${options.url.replace(/\/+$/, "")}${STREAMS_PATH}${
      topic.split("/").map(encodeURIComponent).join("/")
    }`,
    fetch: options.fetch ?? withServiceCredential((request) => fetch(request)),
    retry: _retrySettings(options.retry ?? {}),
    signal: options.signal,
  };
  const producerId = options.producerId ?? crypto.randomUUID();
  const producer = new BatchingProducer(endpoint, {
    producerId,
    epoch: options.epoch ?? Date.now(),
    maxBatchMessages,
    stream: topic,
  });

  const check = (message: unknown, offset?: string): T => {
    const result = schema.safeParse(message, { reportInput: false });
    if (result.success) return result.data;
    const issues = formatIssues(result.error.issues, { root: "(message)" });
    const where = offset === undefined ? "" : ` at offset ${offset}`;
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_MESSAGE",
      `A message of stream "${topic}"${where} does not match its schema: ${
        issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")
      }`,
      { details: { stream: topic, issues, ...(offset === undefined ? {} : { offset }) } },
    );
  };

  return {
    topic,
    producerId,
    async create() {
      const response = await sendWithRetries(endpoint, () =>
        new Request(endpoint.url, {
          method: "PUT",
          headers: { "content-type": "application/json" },
        }));
      if (response.status === 200 || response.status === 201) {
        await response.body?.cancel();
        return;
      }
      throw await refusal(response, topic);
    },
    append(message) {
      let json: string;
      try {
        json = JSON.stringify(check(message));
      } catch (error) {
        return Promise.reject(error);
      }
      return producer.append(json);
    },
    flush: () => producer.flush(),
    read(readOptions = {}) {
      const from = readOptions.from ?? "start";
      return readBatches(
        endpoint,
        { from: from === "start" ? "-1" : from, live: readOptions.live ?? false, stream: topic },
        check,
      );
    },
    async closeStream() {
      await producer.flush();
      const response = await sendWithRetries(
        endpoint,
        () => new Request(endpoint.url, { method: "POST", headers: { "stream-closed": "true" } }),
      );
      if (response.status === 200 || response.status === 204) {
        await response.body?.cancel();
        return;
      }
      throw await refusal(response, topic);
    },
  };
}

function _retrySettings(policy: RetryPolicy): RetrySettings {
  return {
    attempts: policy.attempts ?? DEFAULT_RETRY.attempts,
    baseDelayMs: policy.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: policy.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
}
