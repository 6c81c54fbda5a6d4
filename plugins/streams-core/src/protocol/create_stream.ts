/**
 * Creating a stream (the protocol's `PUT`): idempotent when the
 * configuration matches, forks stitched from a source at a position, TTL
 * and expiry inherited from the source as the protocol's table says, and
 * the initial body appended in the same commit.
 *
 * @module
 */

import { isNetScriptError, NetScriptError } from "@netscript/contracts/errors";
import type { StreamChunk, StreamRecord, StreamWrite } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { commitWithRetries, type ProtocolContext, type WriteDecision } from "./context.ts";
import { DEFAULT_CONTENT_TYPE, isJsonContentType, sameContentType } from "./content_type.ts";
import { type ForkRequest, resolveForkPosition } from "./fork_position.ts";
import { encodeJsonChunk, parseJsonMessages } from "./json_messages.ts";
import { checkMessages, type MessageCheck } from "./message_check.ts";
import { loadLiveStream } from "./stream_lifecycle.ts";

/** One stream creation. */
export interface CreateRequest {
  /** The stream's path. */
  path: string;
  /** The content type, or `null` when the request sent none. */
  contentType: string | null;
  /** The sliding TTL in seconds, or `null`. */
  ttlSeconds: number | null;
  /** The absolute expiry in milliseconds since the epoch, or `null`. */
  expiresAt: number | null;
  /** Create the stream closed. */
  closed: boolean;
  /** The initial data; may be empty. */
  body: Uint8Array;
  /** Fork from this source, or `null`. */
  fork: ForkRequest | null;
}

/** What a creation did. */
export interface CreateResult {
  /** `true` when the stream is new, `false` when it existed with the same configuration. */
  created: boolean;
  /** The stream. */
  record: StreamRecord;
}

function _conflict(path: string, why: string): NetScriptError<StreamsCoreErrorCode> {
  return new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_CONFIG_MISMATCH",
    `Cannot create stream "${path}": ${why}`,
    { details: { path } },
  );
}

interface _Plan {
  contentType: string;
  ttlSeconds: number | null;
  expiresAt: number | null;
  fork: { source: StreamRecord; position: number } | null;
}

async function _plan(context: ProtocolContext, request: CreateRequest): Promise<_Plan> {
  const own = request.ttlSeconds !== null || request.expiresAt !== null;
  if (!request.fork) {
    return {
      contentType: request.contentType ?? DEFAULT_CONTENT_TYPE,
      ttlSeconds: request.ttlSeconds,
      expiresAt: request.expiresAt,
      fork: null,
    };
  }
  const source = await loadLiveStream(context, request.fork.source).catch((error) => {
    if (isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_GONE")) {
      throw _conflict(request.path, `its fork source "${request.fork!.source}" was deleted`);
    }
    throw error;
  });
  if (request.contentType !== null && !sameContentType(request.contentType, source.contentType)) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_CONTENT_TYPE_MISMATCH",
      `Cannot fork stream "${source.path}" as ${JSON.stringify(request.contentType)}: it holds ${
        JSON.stringify(source.contentType)
      }; omit Content-Type or send the source's`,
      {
        details: {
          path: request.path,
          contentType: request.contentType,
          streamContentType: source.contentType,
        },
      },
    );
  }
  return {
    contentType: source.contentType,
    ttlSeconds: own ? request.ttlSeconds : source.ttlSeconds,
    expiresAt: own ? request.expiresAt : source.expiresAt,
    fork: { source, position: await resolveForkPosition(context, source, request.fork) },
  };
}

function _matches(existing: StreamRecord, plan: _Plan, request: CreateRequest): boolean {
  return sameContentType(existing.contentType, plan.contentType) &&
    existing.ttlSeconds === plan.ttlSeconds && existing.expiresAt === plan.expiresAt &&
    existing.closed === request.closed &&
    (existing.fork === null
      ? plan.fork === null
      : plan.fork !== null && existing.fork.source === plan.fork.source.path &&
        existing.fork.position === plan.fork.position);
}

function _newStream(
  request: CreateRequest,
  plan: _Plan,
  now: number,
  check: MessageCheck | undefined,
): WriteDecision<CreateResult> {
  const start = plan.fork?.position ?? 0;
  const json = isJsonContentType(plan.contentType);
  const messages = json && request.body.byteLength > 0
    ? parseJsonMessages(request.body, { allowEmptyArray: true })
    : [];
  checkMessages(check, request.path, messages);
  const units = json ? messages.length : request.body.byteLength;
  const chunks: StreamChunk[] = units === 0 ? [] : [{
    start,
    end: start + units,
    data: json ? encodeJsonChunk(messages) : request.body,
    committedAt: now,
  }];
  const record: StreamRecord = {
    path: request.path,
    contentType: plan.contentType,
    createdAt: now,
    accessedAt: now,
    ttlSeconds: plan.ttlSeconds,
    expiresAt: plan.expiresAt,
    closed: request.closed,
    closedBy: null,
    softDeleted: false,
    fork: plan.fork ? { source: plan.fork.source.path, position: plan.fork.position } : null,
    forkCount: 0,
    tail: start + units,
    trimmedTo: plan.fork ? Math.min(plan.fork.source.trimmedTo, start) : 0,
    lastSeq: null,
    producers: {},
    version: 1,
  };
  const writes: StreamWrite[] = [{ kind: "put", expectedVersion: null, record, chunks }];
  if (plan.fork) {
    const source = plan.fork.source;
    writes.push({
      kind: "put",
      expectedVersion: source.version,
      record: { ...source, forkCount: source.forkCount + 1, version: source.version + 1 },
      chunks: [],
    });
  }
  return { writes, outcome: { created: true, record } };
}

/**
 * Creates a stream, or confirms one that exists with the same
 * configuration (content type, TTL, expiry, closed state, fork origin).
 *
 * @param context The protocol context.
 * @param request The creation.
 * @returns Whether it was created, and the stream.
 * @throws {NetScriptError} `STREAMS_CONFIG_MISMATCH`, `STREAMS_CONTENT_TYPE_MISMATCH`, `STREAMS_INVALID_BODY`, `STREAMS_INVALID_OFFSET`, `STREAMS_INVALID_HEADER`, or `STREAMS_NOT_FOUND` for a missing fork source.
 */
export function createStream(
  context: ProtocolContext,
  request: CreateRequest,
): Promise<CreateResult> {
  return context.serialize(request.path, async () => {
    await loadLiveStream(context, request.path).catch((error) => {
      if (isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_GONE")) {
        throw _conflict(
          request.path,
          "a deleted stream whose forks still read its data holds the path",
        );
      }
      if (!isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_NOT_FOUND")) throw error;
    });
    return await commitWithRetries(context, async (): Promise<WriteDecision<CreateResult>> => {
      const existing = await context.store.get(request.path);
      if (existing?.softDeleted) {
        throw _conflict(
          request.path,
          "a deleted stream whose forks still read its data holds the path",
        );
      }
      const plan = await _plan(context, request);
      if (!existing) {
        return _newStream(request, plan, context.now(), context.checkMessage(request.path));
      }
      if (!_matches(existing, plan, request)) {
        throw _conflict(
          request.path,
          "a stream with another content type, TTL, expiry, closed state or fork origin exists there; use its configuration or another path",
        );
      }
      return { writes: [], outcome: { created: false, record: existing } };
    });
  });
}
