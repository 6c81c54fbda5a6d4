/**
 * Appending to a stream and closing it (the protocol's `POST`): content
 * type and closure checks, JSON flattening, `Stream-Seq`, and idempotent
 * producers, with the data, the producer's new state and the closure
 * committed together.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamChunk, StreamRecord } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { commitWithRetries, type ProtocolContext, type WriteDecision } from "./context.ts";
import { isJsonContentType, mediaTypeOf } from "./content_type.ts";
import { encodeJsonChunk, parseJsonMessages } from "./json_messages.ts";
import { checkMessages, type MessageCheck } from "./message_check.ts";
import { decideProducerWrite, type ProducerWrite } from "./producer.ts";
import { loadLiveStream } from "./stream_lifecycle.ts";

/** One append or close. */
export interface AppendRequest {
  /** The stream's path. */
  path: string;
  /** The body's content type; may be `null` when the body is empty. */
  contentType: string | null;
  /** The data; empty only to close. */
  body: Uint8Array;
  /** Close the stream after the append (`Stream-Closed: true`). */
  close: boolean;
  /** The writer's `Stream-Seq`, or `null`. */
  seq: string | null;
  /** The idempotent producer's headers, or `null`. */
  producer: ProducerWrite | null;
}

/** What an append did. */
export interface AppendResult {
  /** `appended`: new data or a new closure; `duplicate`: a retry of a write already applied, nothing changed. */
  kind: "appended" | "duplicate";
  /** The stream after the append. */
  record: StreamRecord;
  /** For producer writes: the highest sequence number accepted in the producer's epoch. */
  producerSeq: number | null;
}

function _closedError(record: StreamRecord): NetScriptError<StreamsCoreErrorCode> {
  return new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_CLOSED",
    `Cannot append to stream "${record.path}": it is closed; write to a new stream`,
    { details: { path: record.path, tail: record.tail } },
  );
}

function _decide(
  request: AppendRequest,
  record: StreamRecord,
  now: number,
  check: MessageCheck | undefined,
): WriteDecision<AppendResult> {
  const closeOnly = request.body.byteLength === 0;
  const producer = request.producer;
  if (record.closed) {
    const closedBy = record.closedBy;
    const sameWrite = producer !== null && closedBy !== null &&
      closedBy.producerId === producer.id &&
      closedBy.epoch === producer.epoch && closedBy.seq === producer.seq;
    if (sameWrite || (closeOnly && request.close)) {
      return {
        writes: [],
        outcome: { kind: "duplicate", record, producerSeq: producer ? producer.seq : null },
      };
    }
    throw _closedError(record);
  }
  if (!closeOnly && mediaTypeOf(request.contentType ?? "") !== mediaTypeOf(record.contentType)) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_CONTENT_TYPE_MISMATCH",
      `Cannot append ${
        JSON.stringify(request.contentType)
      } data to stream "${record.path}": it holds ${
        JSON.stringify(record.contentType)
      }; send that content type`,
      {
        details: {
          path: record.path,
          contentType: request.contentType,
          streamContentType: record.contentType,
        },
      },
    );
  }
  const json = isJsonContentType(record.contentType);
  const messages = !closeOnly && json
    ? parseJsonMessages(request.body, { allowEmptyArray: false })
    : [];
  checkMessages(check, record.path, messages);
  if (producer) {
    const decision = decideProducerWrite(record.producers[producer.id], producer);
    if (decision.kind === "duplicate") {
      return {
        writes: [],
        outcome: { kind: "duplicate", record, producerSeq: decision.highestSeq },
      };
    }
  }
  if (request.seq !== null && record.lastSeq !== null && request.seq <= record.lastSeq) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_SEQ_CONFLICT",
      `Cannot append with Stream-Seq ${
        JSON.stringify(request.seq)
      } to stream "${record.path}": it is not greater than the last one, ${
        JSON.stringify(record.lastSeq)
      }; send strictly increasing values`,
      { details: { path: record.path, seq: request.seq, lastSeq: record.lastSeq } },
    );
  }
  const units = closeOnly ? 0 : json ? messages.length : request.body.byteLength;
  const chunks: StreamChunk[] = units === 0 ? [] : [{
    start: record.tail,
    end: record.tail + units,
    data: json ? encodeJsonChunk(messages) : request.body,
    committedAt: now,
  }];
  const next: StreamRecord = {
    ...record,
    tail: record.tail + units,
    accessedAt: now,
    lastSeq: request.seq ?? record.lastSeq,
    closed: request.close,
    closedBy: request.close && producer
      ? { producerId: producer.id, epoch: producer.epoch, seq: producer.seq }
      : null,
    producers: producer
      ? {
        ...record.producers,
        [producer.id]: { epoch: producer.epoch, seq: producer.seq, updatedAt: now },
      }
      : record.producers,
    version: record.version + 1,
  };
  return {
    writes: [{ kind: "put", expectedVersion: record.version, record: next, chunks }],
    outcome: { kind: "appended", record: next, producerSeq: producer ? producer.seq : null },
  };
}

/**
 * Appends to a stream, closes it, or both, following the Durable Streams
 * rules. Writes to one stream are serialized in this process, and every
 * decision is committed with a version check, so concurrent writers in
 * other processes are ordered by the store.
 *
 * @param context The protocol context.
 * @param request The append.
 * @returns What the append did.
 * @throws {NetScriptError} `STREAMS_INVALID_BODY`, `STREAMS_NOT_FOUND`, `STREAMS_GONE`, `STREAMS_CLOSED`, `STREAMS_CONTENT_TYPE_MISMATCH`, `STREAMS_SEQ_CONFLICT`, or a producer code.
 */
export function appendToStream(
  context: ProtocolContext,
  request: AppendRequest,
): Promise<AppendResult> {
  if (request.body.byteLength === 0 && !request.close) {
    return Promise.reject(
      new NetScriptError<StreamsCoreErrorCode>(
        "STREAMS_INVALID_BODY",
        `Cannot append to stream "${request.path}": the body is empty; send data, or Stream-Closed: true to close the stream`,
        { details: { path: request.path } },
      ),
    );
  }
  return context.serialize(request.path, () =>
    commitWithRetries(context, async () => {
      const record = await loadLiveStream(context, request.path);
      return _decide(request, record, context.now(), context.checkMessage(request.path));
    }));
}
