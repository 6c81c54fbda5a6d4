/**
 * Records and chunks to and from the rows of the Postgres stream store.
 *
 * @module
 */
import type {
  ProducerState,
  StreamChunk,
  StreamRecord,
  StreamWrite,
} from "../../ports/stream_store.ts";

/** A `streams_streams` row as the store's statements select it. */
export interface StreamRow {
  path: string;
  content_type: string;
  created_at: number;
  accessed_at: number;
  ttl_seconds: number | null;
  expires_at: number | null;
  closed: boolean;
  closed_by: StreamRecord["closedBy"];
  soft_deleted: boolean;
  fork_source: string | null;
  fork_position: number | null;
  fork_count: number;
  tail: number;
  trimmed_to: number;
  last_seq: string | null;
  producers: Record<string, ProducerState>;
  version: number;
}

/** A `streams_chunks` row as the store's statements select it. */
export interface ChunkRow {
  start: number;
  end: number;
  data: Uint8Array;
  committed_at: number;
}

/** The record a row holds. */
export function toRecord(row: StreamRow): StreamRecord {
  return {
    path: row.path,
    contentType: row.content_type,
    createdAt: row.created_at,
    accessedAt: row.accessed_at,
    ttlSeconds: row.ttl_seconds,
    expiresAt: row.expires_at,
    closed: row.closed,
    closedBy: row.closed_by,
    softDeleted: row.soft_deleted,
    fork: row.fork_source === null
      ? null
      : { source: row.fork_source, position: row.fork_position ?? 0 },
    forkCount: row.fork_count,
    tail: row.tail,
    trimmedTo: row.trimmed_to,
    lastSeq: row.last_seq,
    producers: row.producers,
    version: row.version,
  };
}

/** The chunk a row holds, its data a plain `Uint8Array` over the driver's buffer. */
export function toChunk(row: ChunkRow): StreamChunk {
  const data = new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  return { start: row.start, end: row.end, data, committedAt: row.committed_at };
}

/** A write that stores a record and appends chunks. */
export type PutWrite = Extract<StreamWrite, { kind: "put" }>;

/**
 * The values of a put statement (`$1` to `$24` of `CREATE` and `UPDATE`):
 * the record, then its chunks as one run of bytes with their offsets (a
 * single chunk's bytes are sent as they are).
 *
 * @param write The record to store and the chunks to append.
 * @param channel The store's notification channel.
 */
export function putValues({ record, chunks }: PutWrite, channel: string): unknown[] {
  const offsets: number[] = [];
  let length = 0;
  for (const chunk of chunks) {
    offsets.push(length);
    length += chunk.data.byteLength;
  }
  let data = chunks.length === 1 ? chunks[0]!.data : undefined;
  if (data === undefined) {
    data = new Uint8Array(length);
    for (const [i, chunk] of chunks.entries()) data.set(chunk.data, offsets[i]);
  }
  return [
    record.path,
    record.contentType,
    record.createdAt,
    record.accessedAt,
    record.ttlSeconds,
    record.expiresAt,
    record.closed,
    record.closedBy === null ? null : JSON.stringify(record.closedBy),
    record.softDeleted,
    record.fork?.source ?? null,
    record.fork?.position ?? null,
    record.forkCount,
    record.tail,
    record.trimmedTo,
    record.lastSeq,
    JSON.stringify(record.producers),
    record.version,
    data,
    chunks.map((chunk) => chunk.start),
    chunks.map((chunk) => chunk.end),
    offsets,
    chunks.map((chunk) => chunk.data.byteLength),
    chunks.map((chunk) => chunk.committedAt),
    channel,
  ];
}
