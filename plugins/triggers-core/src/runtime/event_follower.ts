/**
 * The event follower the `trigger-processor` runs: each event trigger reads
 * its stream topic from `streams-api`, live, and records every message as
 * a delivery in the outbox; the dispatcher then starts its job.
 *
 * **Each message is recorded exactly once, and none is lost.** The topic
 * is read in batches; a batch is what one read returns from one offset. A
 * message's delivery key is `<offset the batch starts at>#<index in the
 * batch>`, and the delivery of the **last** message of a batch moves the
 * trigger's cursor to the offset after the batch, in the same atomic
 * record. So the cursor only ever stands at the start of a batch that is
 * not fully recorded. When the follower stops or crashes in the middle of
 * a batch, the next read starts at the cursor, which is that batch's start
 * offset again: the topic is append-only, so the read returns the same
 * messages in the same order (perhaps followed by newer ones), each gets
 * the key it had before, and the store drops the ones already recorded as
 * duplicates. Reading is at least once; recording is exactly once per
 * message.
 *
 * A trigger without a cursor (it never recorded a message) starts at the
 * oldest message the topic keeps: it takes the topic's whole retained
 * history. When retention has removed the messages at the cursor
 * (`STREAMS_OFFSET_GONE`), the follower logs a warning and continues at
 * the oldest message the topic still keeps; the removed ones are never
 * seen. Other failures (`streams-api` down, the topic missing, the store
 * unreachable) are logged and retried with back-off; they never stop the
 * processor.
 *
 * @module
 */
import { formatIssues, isNetScriptError } from "@netscript/contracts/errors";
import {
  createDurableStream,
  type DurableStream,
  encodeOffset,
  parseOffset,
  type ReadBatch,
  type StreamFetch,
} from "@netscript/plugin-streams-core";
import { abortableSleep } from "@netscript/plugin-workers-core";
import type { Logger } from "@netscript/telemetry";
import { z } from "zod";
import type { EventDefinition } from "../dsl/define_event.ts";
import type { DeliveryStore, NewDelivery } from "../ports/delivery_store.ts";
import { recordDelivery } from "./record_delivery.ts";

/** Options of {@linkcode createEventFollower}. */
export interface EventFollowerOptions {
  /** The outbox. */
  readonly store: DeliveryStore;
  /** The workspace's event triggers; those on a stream topic are followed. */
  readonly events: readonly EventDefinition[];
  /** The base URL of `streams-api`, e.g. `http://127.0.0.1:8095`. */
  readonly streamsUrl: string;
  /**
   * Sends requests to `streams-api`: pass a Durable Streams handler to
   * follow topics in-process.
   * @default {globalThis.fetch}
   */
  readonly fetch?: StreamFetch | undefined;
  /** Where recorded batches and failures are logged. */
  readonly logger: Logger;
  /** The wait after a failure, doubled for each failure in a row. @default {1000} */
  readonly retryDelayMs?: number | undefined;
  /** The longest wait after a failure. @default {30000} */
  readonly maxRetryDelayMs?: number | undefined;
}

/** A running event follower. */
export interface EventFollower {
  /** Follows every event trigger's topic until stopped; resolves once stopped. */
  start(): Promise<void>;
  /** Stops, ending the reads under way; resolves once stopped. */
  stop(): Promise<void>;
}

/** The offset the protocol reads a stream from its oldest kept message with. */
const START = "-1";

/**
 * How one request to `streams-api` is retried before the follower's own
 * back-off takes over: enough for a blip, short enough to log an outage.
 */
const STREAM_RETRY = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 } as const;

/**
 * Creates the event follower. Each event trigger's topic is read live
 * from the trigger's cursor (from the topic's oldest kept message when it
 * has none), and each message recorded once with source `event`, its
 * payload as the trigger's `input` outputs it; a message `input` refuses
 * is recorded `rejected`, with the issues, and never dispatched.
 *
 * @param options The store, the event triggers, `streams-api` and a logger.
 * @returns The follower.
 *
 * @example
 * ```ts
 * import { createDurableStream, createDurableStreamsHandler } from "@netscript/plugin-streams-core";
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { createEventFollower, defineEvent } from "@netscript/plugin-triggers-core";
 * import { createLogger } from "@netscript/telemetry";
 * import { z } from "zod";
 *
 * const handler = createDurableStreamsHandler({ store: await createMemoryStreamStore() });
 * const orders = createDurableStream({ topic: "orders", schema: z.unknown(), url: "http://streams", fetch: handler });
 * await orders.create();
 * await orders.append({ id: "o-1" });
 * const store = createMemoryDeliveryStore();
 * const follower = createEventFollower({
 *   store,
 *   events: [defineEvent({ name: "order-placed", on: { topic: "orders" }, dispatch: () => null })],
 *   streamsUrl: "http://streams",
 *   fetch: handler,
 *   logger: createLogger({ service: "docs" }),
 * });
 * const running = follower.start();
 * while ((await store.list()).total === 0) await new Promise((r) => setTimeout(r, 10));
 * await follower.stop();
 * await running;
 * console.log((await store.list()).items[0]?.key); // "0000000000000000_0000000000000000#0"
 * ```
 */
export function createEventFollower(options: EventFollowerOptions): EventFollower {
  const { store, logger } = options;
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const stopping = new AbortController();
  const { signal } = stopping;
  let loop: Promise<void> | undefined;

  const recordBatch = async (
    trigger: EventDefinition,
    topic: string,
    batch: ReadBatch<unknown>,
  ) => {
    const start = _batchStart(topic, batch);
    const counts = { recorded: 0, duplicates: 0, rejected: 0 };
    for (const [index, message] of batch.messages.entries()) {
      signal.throwIfAborted();
      const last = index === batch.messages.length - 1;
      const delivery = _delivery(trigger, message, {
        key: `${start}#${index}`,
        ...(last ? { cursor: batch.offset } : {}),
      });
      const result = await recordDelivery(store, delivery, "the message");
      if (result.duplicate) counts.duplicates++;
      else if (result.state === "rejected") counts.rejected++;
      else counts.recorded++;
    }
    logger.info("event messages recorded", {
      trigger: trigger.name,
      topic,
      from: start,
      next: batch.offset,
      ...counts,
    });
  };

  const follow = async (trigger: EventDefinition, topic: string): Promise<void> => {
    const stream: DurableStream<unknown> = createDurableStream({
      topic,
      schema: z.unknown(),
      url: options.streamsUrl,
      fetch: (request) => send(new Request(request, { signal })),
      retry: STREAM_RETRY,
      signal,
    });
    let failures = 0;
    let from: string | undefined;
    while (!signal.aborted) {
      try {
        const cursor = from ?? await store.cursor(trigger.name) ?? START;
        from = undefined;
        logger.info("following topic", { trigger: trigger.name, topic, from: cursor });
        for await (const batch of stream.read({ from: cursor, live: true })) {
          if (batch.messages.length > 0) await recordBatch(trigger, topic, batch);
          failures = 0;
        }
        logger.warn("the topic is closed: this trigger receives nothing more", {
          trigger: trigger.name,
          topic,
        });
        await _aborted(signal);
      } catch (error) {
        if (signal.aborted) return;
        if (isNetScriptError(error, "STREAMS_OFFSET_GONE")) {
          logger.warn(
            "retention removed messages this trigger had not read; continuing at the oldest message the topic keeps",
            { trigger: trigger.name, topic, error },
          );
          from = START;
          continue;
        }
        failures++;
        const delay = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (failures - 1));
        logger.error(_failure(error, topic), {
          trigger: trigger.name,
          topic,
          failures,
          retryInMs: delay,
          error,
        });
        await abortableSleep(delay, signal);
      }
    }
  };

  return {
    start() {
      loop ??= (async () => {
        const followed = options.events.flatMap((event) =>
          event.on.topic === undefined ? [] : [{ event, topic: event.on.topic }]
        );
        logger.info("event follower started", {
          triggers: followed.map(({ event }) => event.name),
          streams: options.streamsUrl,
        });
        await Promise.all(followed.map(({ event, topic }) => follow(event, topic)));
      })();
      return loop;
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

/** Resolves once `signal` aborts. */
function _aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** What a failure means for the log line. */
function _failure(error: unknown, topic: string): string {
  if (isNetScriptError(error, "STREAMS_UNREACHABLE")) {
    return "cannot reach streams-api to read the topic; retrying";
  }
  if (isNetScriptError(error, "STREAMS_NOT_FOUND")) {
    return `topic "${topic}" does not exist on streams-api; declare it in plugins/streams/plugin.ts. Retrying`;
  }
  return "cannot follow the topic; retrying";
}

/**
 * The offset a batch starts at. For a JSON stream each message takes one
 * position, so it is the offset after the batch less its messages; unlike
 * the offset the read was asked for (`-1` at the start), it names the
 * batch's first message whatever the read started from.
 */
function _batchStart(topic: string, batch: ReadBatch<unknown>): string {
  const next = parseOffset(batch.offset);
  if (next.kind !== "position" || next.position < batch.messages.length) {
    throw new RangeError(
      `streams-api answered a read of topic "${topic}" with ${batch.messages.length} messages ending at offset ${batch.offset}; the topic must be a JSON stream of the streams plugin`,
    );
  }
  return encodeOffset(next.position - batch.messages.length);
}

/** The delivery of one message: its schema's output, or `rejected` with the issues. */
function _delivery(
  trigger: EventDefinition,
  message: unknown,
  place: { readonly key: string; readonly cursor?: string },
): NewDelivery {
  const common = { trigger: trigger.name, source: "event", ...place } as const;
  const checked = trigger.input?.safeParse(message);
  if (checked === undefined) return { ...common, payload: message };
  if (checked.success) return { ...common, payload: checked.data };
  const error = formatIssues(checked.error.issues, { root: "(payload)" })
    .map((issue) => `${issue.path} ${issue.message}`)
    .join("; ");
  return { ...common, payload: message, state: "rejected", error };
}
