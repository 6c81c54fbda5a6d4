/**
 * The stream store port: what the Durable Streams protocol, the typed
 * producer and consumer, and `streams-api` need from a store. It is kept
 * small on purpose: an adapter stores stream records and their chunks, and
 * commits changes atomically with a version check; every rule of the
 * protocol (idempotent producers, `Stream-Seq`, closure, forks, TTL,
 * retention) is written once in `@netscript/plugin-streams-core` on top of
 * it. Adapters (memory, Deno KV, Postgres) implement it;
 * `@netscript/plugin-streams-core/testing` holds the conformance suite every
 * adapter passes.
 *
 * Positions count units of a stream's data: bytes for a byte stream,
 * messages for a JSON stream (`application/json`). A stream's data is a run
 * of chunks; each chunk covers the positions `[start, end)` and is written
 * once, by one commit.
 *
 * @module
 */

/** The last write an idempotent producer made to a stream. */
export interface ProducerState {
  /** The producer's epoch; a write with a lower epoch is fenced. */
  epoch: number;
  /** The sequence number of the producer's last accepted write in `epoch`. */
  seq: number;
  /** When the producer last wrote, in milliseconds since the epoch. */
  updatedAt: number;
}

/** The stream a fork was made from, and where it diverges. */
export interface ForkOrigin {
  /** The path of the source stream. */
  source: string;
  /** The fork inherits the source's positions below this one. */
  position: number;
}

/**
 * Everything a store keeps about one stream besides its chunks. Adapters
 * store it as given and hand it back unchanged; only the core interprets it.
 */
export interface StreamRecord {
  /** The stream's path, e.g. `/v1/stream/orders`; unique in a store. */
  path: string;
  /** The MIME type the stream was created with, as given. */
  contentType: string;
  /** When the stream was created, in milliseconds since the epoch. */
  createdAt: number;
  /**
   * When the stream was last read or written, in milliseconds since the
   * epoch (sliding TTLs). Set by commits and by {@linkcode StreamStore.touch}.
   */
  accessedAt: number;
  /** The sliding time-to-live in seconds (`Stream-TTL`), or `null`. */
  ttlSeconds: number | null;
  /** The absolute expiry in milliseconds since the epoch (`Stream-Expires-At`), or `null`. */
  expiresAt: number | null;
  /** Whether appends are refused from now on. */
  closed: boolean;
  /** The producer write that closed the stream, so its retry is answered as a duplicate. */
  closedBy: { producerId: string; epoch: number; seq: number } | null;
  /** Whether the stream was deleted while forks still read its data. */
  softDeleted: boolean;
  /** Where the stream was forked from, or `null`. */
  fork: ForkOrigin | null;
  /** How many live streams are forks of this one. */
  forkCount: number;
  /** The next position: one past the last unit written. */
  tail: number;
  /** Positions below this one were dropped by retention; reads before it are gone. */
  trimmedTo: number;
  /** The last `Stream-Seq` value a writer sent, or `null`. */
  lastSeq: string | null;
  /** Idempotent producers by id. */
  producers: Record<string, ProducerState>;
  /** Bumped by every commit that changes the record; what a commit checks. */
  version: number;
}

/** A run of a stream's data. */
export interface StreamChunk {
  /** The first position the chunk covers. */
  start: number;
  /** One past the last position the chunk covers. */
  end: number;
  /**
   * The chunk's bytes. For a JSON stream, the UTF-8 text of a JSON array
   * holding its `end - start` messages.
   */
  data: Uint8Array;
  /** When the chunk was committed, in milliseconds since the epoch (retention by age). */
  committedAt: number;
}

/** One stream's part of a commit. */
export type StreamWrite =
  | {
    /** Writes `record` (its `version` already bumped by the caller) and appends `chunks`. */
    kind: "put";
    /** The stored version the commit expects; `null` when the stream must not exist. */
    expectedVersion: number | null;
    /** The record to store. */
    record: StreamRecord;
    /** Chunks to add, in order, each starting where the previous ended. */
    chunks: readonly StreamChunk[];
  }
  | {
    /** Removes the stream's record and every chunk. */
    kind: "delete";
    /** The path to remove. */
    path: string;
    /** The stored version the commit expects. */
    expectedVersion: number;
  };

/** What {@linkcode StreamStore.readChunks} returns at most. */
export interface ReadChunksOptions {
  /** Stop adding chunks once this many bytes are collected; the first chunk is always returned. */
  maxBytes: number;
}

/** A stream record with the size of the data the store holds for it. */
export interface StreamSummary {
  /** The stored record. */
  record: StreamRecord;
  /** The bytes of its chunks. */
  bytes: number;
  /** How many chunks it holds. */
  chunks: number;
}

/**
 * What a stream store does. Every method may reject with a `NetScriptError`
 * whose code is one of the framework's store codes (`STORE_UNAVAILABLE`,
 * `SCHEMA_MISSING`).
 */
export interface StreamStore {
  /**
   * Reads a stream's record.
   *
   * @param path The stream's path.
   * @returns The record, or `undefined` when no stream has that path.
   */
  get(path: string): Promise<StreamRecord | undefined>;
  /**
   * Applies every write atomically: all of them, or none when any stored
   * version differs from the write's `expectedVersion` (or a stream exists
   * where `null` was expected). An acknowledged commit is durable.
   *
   * @param writes The streams to change.
   * @returns `true` when committed, `false` on a version conflict.
   */
  commit(writes: readonly StreamWrite[]): Promise<boolean>;
  /**
   * Reads a stream's chunks that end after `from`, in position order.
   *
   * @param path The stream's path.
   * @param from The first position wanted.
   * @param options How much to read.
   * @returns The chunks; empty when none end after `from`.
   */
  readChunks(path: string, from: number, options: ReadChunksOptions): Promise<StreamChunk[]>;
  /**
   * Drops a stream's chunks that end at or before `before` (retention).
   * The caller records the new `trimmedTo` with a commit.
   *
   * @param path The stream's path.
   * @param before Chunks wholly below this position go.
   * @returns How many chunks were dropped.
   */
  dropChunks(path: string, before: number): Promise<number>;
  /**
   * Sets a stream's `accessedAt` (a read, for sliding TTLs) without a
   * commit: the version stays, and a concurrent commit is not refused
   * because of it. Does nothing when no stream has that path.
   *
   * @param path The stream's path.
   * @param at Milliseconds since the epoch.
   */
  touch(path: string, at: number): Promise<void>;
  /**
   * Waits until a stream's version differs from `version` (a commit
   * changed or removed it), `timeoutMs` passes, or `signal` aborts.
   * Waking without a change is allowed; callers read again.
   *
   * @param path The stream's path.
   * @param version The version the caller saw.
   * @param options The longest wait and an abort signal.
   */
  waitForChange(
    path: string,
    version: number,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void>;
  /**
   * Lists streams in path order.
   *
   * @param options Paths after `after`, starting with `prefix`, at most `limit`.
   * @returns The streams with their stored sizes.
   */
  list(options: { prefix?: string; after?: string; limit: number }): Promise<StreamSummary[]>;
  /**
   * Releases the store's connections; waiters return.
   *
   * @returns Resolves once released.
   */
  close(): Promise<void>;
}
