/**
 * The writing half of {@linkcode createDurableStream}: an idempotent
 * producer that gathers appends made while a write is in flight into one
 * batch, sends each batch once with `Producer-Id`, `Producer-Epoch` and
 * `Producer-Seq`, and resends the same batch with the same numbers until
 * the server answers, so a retry after a lost answer is recognised as a
 * duplicate and nothing is written twice.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { refusal, sendWithRetries, type StreamEndpoint } from "./_protocol_client.ts";

/** What an acknowledged append tells its caller. */
export interface AppendAck {
  /** The offset after the batch the message was written in: read from it to get what came next. */
  readonly offset: string;
  /** How many messages the batch held. */
  readonly batchSize: number;
}

/** How a producer batches and names itself. */
export interface ProducerSettings {
  /** The producer id sent as `Producer-Id`. */
  readonly producerId: string;
  /** The first epoch tried. */
  readonly epoch: number;
  /** The most messages one request carries. */
  readonly maxBatchMessages: number;
  /** The stream's name, for messages. */
  readonly stream: string;
}

interface Pending {
  readonly json: string;
  readonly resolve: (ack: AppendAck) => void;
  readonly reject: (error: unknown) => void;
}

/** Sends batches of JSON messages to one stream, one request at a time, in order. */
export class BatchingProducer {
  readonly #endpoint: StreamEndpoint;
  readonly #settings: ProducerSettings;
  readonly #pending: Pending[] = [];
  #epoch: number;
  #seq = 0;
  #claimed = false;
  #pump: Promise<void> | undefined;
  #failure: unknown;

  /**
   * @param endpoint The stream's URL and how to reach it.
   * @param settings The producer's id, first epoch and batch size.
   */
  constructor(endpoint: StreamEndpoint, settings: ProducerSettings) {
    this.#endpoint = endpoint;
    this.#settings = settings;
    this.#epoch = settings.epoch;
  }

  /** The epoch the producer writes with now. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Queues one JSON message; it goes out with the next batch.
   *
   * @param json The message, already serialized.
   * @returns Resolves once the batch holding it is committed.
   */
  append(json: string): Promise<AppendAck> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const acked = new Promise<AppendAck>((resolve, reject) => {
      this.#pending.push({ json, resolve, reject });
    });
    if (this.#pump === undefined) this.#pump = this.#drain();
    return acked;
  }

  /**
   * Waits until every queued message is committed or refused.
   *
   * @returns Resolves when nothing is queued or in flight.
   */
  async flush(): Promise<void> {
    while (this.#pump !== undefined) await this.#pump;
  }

  /** Sends batches until none is queued; the pump is cleared in the same turn the queue is found empty. */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#settings.maxBatchMessages);
      try {
        const offset = await this.#send(batch.map((entry) => entry.json));
        for (const entry of batch) entry.resolve({ offset, batchSize: batch.length });
      } catch (error) {
        this.#failure = error;
        for (const entry of [...batch, ...this.#pending.splice(0)]) entry.reject(error);
      }
    }
    this.#pump = undefined;
  }

  /** Sends one batch with the current numbers; claims a higher epoch when the first batch is fenced. */
  async #send(messages: readonly string[]): Promise<string> {
    const body = `[${messages.join(",")}]`;
    for (;;) {
      const seq = this.#seq;
      const epoch = this.#epoch;
      const response = await sendWithRetries(this.#endpoint, () =>
        new Request(this.#endpoint.url, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json",
            "producer-id": this.#settings.producerId,
            "producer-epoch": String(epoch),
            "producer-seq": String(seq),
          },
        }));
      if (response.status === 200 || response.status === 204) {
        await response.body?.cancel();
        this.#claimed = true;
        this.#seq = seq + 1;
        return _nextOffset(response, this.#settings.stream);
      }
      const current = Number(response.headers.get("producer-epoch"));
      if (response.status === 403 && !this.#claimed && Number.isSafeInteger(current)) {
        await response.body?.cancel();
        this.#epoch = current + 1;
        this.#seq = 0;
        continue;
      }
      throw await refusal(response, this.#settings.stream);
    }
  }
}

function _nextOffset(response: Response, stream: string): string {
  const offset = response.headers.get("stream-next-offset");
  if (offset !== null) return offset;
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_REQUEST_REFUSED",
    `Stream "${stream}" acknowledged an append without a Stream-Next-Offset header; the server does not speak the Durable Streams protocol`,
    { details: { stream, status: response.status } },
  );
}
