/**
 * How a chunk is kept in Deno KV, whose values hold at most 64 KiB: a
 * header under `chunk/<path>/<generation>/<end>` with the chunk's start,
 * commit time and size, and its data either inline in the header or in
 * parts of 64 KiB under `…/<end>/<blob>/<part>`, which sort right after
 * the header. `blob` is an id drawn for each chunk written: parts written
 * ahead of a commit that then loses its race (or never happens, when the
 * process stops) are never read, since the header that wins names its own
 * blob, and they go with their stream's chunks.
 *
 * @module
 */
import type { StreamChunk } from "../../ports/stream_store.ts";
import type { KeySpace } from "./_key_space.ts";

/** The largest chunk kept inline in its header (a value holds 65,536 bytes, header fields included). */
const INLINE_BYTES = 65_000;

/** The bytes of each part of a chunk that is not inline: a value's limit. */
const PART_BYTES = 65_536;

/** A chunk's header as stored. */
export interface ChunkHeader {
  /** The first position the chunk covers. */
  readonly start: number;
  /** When the chunk was committed, in ms. */
  readonly committedAt: number;
  /** The chunk's size in bytes. */
  readonly bytes: number;
  /** The data, when inline. */
  readonly data?: Uint8Array;
  /** The id of the parts that hold the data, when not inline. */
  readonly blob?: string;
  /** How many parts hold the data; 0 when it is inline. */
  readonly parts: number;
}

/** One key and value to set. */
export interface KvPut {
  /** The key. */
  readonly key: Deno.KvKey;
  /** The value. */
  readonly value: unknown;
}

/** A chunk as keys and values. */
export interface StoredChunk {
  /** Its header's key and value. */
  readonly header: KvPut;
  /** Its parts' keys and values; none when inline. */
  readonly parts: KvPut[];
}

/**
 * The keys and values that store a chunk.
 *
 * @param keys The key space.
 * @param chunk The chunk, the stream's path and generation id, and whether
 * the chunk may sit in its header when small enough.
 * @returns Its header and parts.
 */
export function storedChunk(
  keys: KeySpace,
  { chunk, path, generation, inline }: {
    chunk: StreamChunk;
    path: string;
    generation: string;
    inline: boolean;
  },
): StoredChunk {
  const key = keys.chunk(path, generation, chunk.end);
  const bytes = chunk.data.byteLength;
  const base = { start: chunk.start, committedAt: chunk.committedAt, bytes };
  if (inline && bytes <= INLINE_BYTES) {
    const header: ChunkHeader = { ...base, data: chunk.data.slice(), parts: 0 };
    return { header: { key, value: header }, parts: [] };
  }
  const blob = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  const parts = Math.max(1, Math.ceil(bytes / PART_BYTES));
  const header: ChunkHeader = { ...base, blob, parts };
  return {
    header: { key, value: header },
    parts: Array.from({ length: parts }, (_, part) => ({
      key: [...key, blob, part],
      value: chunk.data.slice(part * PART_BYTES, (part + 1) * PART_BYTES),
    })),
  };
}

/** A chunk read so far: its header, and its parts as they arrive. */
interface _Pending {
  readonly end: number;
  readonly header: ChunkHeader;
  readonly parts: Uint8Array[];
}

/**
 * Rebuilds chunks from their entries read in key order, skipping parts no
 * header names. Chunks are immutable, but a page-by-page listing is not
 * one snapshot: retention may remove a chunk between pages, leaving its
 * parts half read. Such a chunk is reported as torn, and the read is
 * started again.
 */
export class ChunkAssembler {
  readonly #depth: number;
  #pending: _Pending | undefined;
  #torn = false;

  /**
   * @param chunksKey The prefix of the stream's chunks
   * ({@linkcode KeySpace.chunks}); headers are one part longer.
   */
  constructor(chunksKey: Deno.KvKey) {
    this.#depth = chunksKey.length + 1;
  }

  /** Whether a chunk was found with parts missing. */
  get torn(): boolean {
    return this.#torn;
  }

  /**
   * Takes the next entry.
   *
   * @param entry A header or a part, in key order.
   * @returns The chunk it completes, if it completes one.
   */
  add(entry: Deno.KvEntry<unknown>): StreamChunk | undefined {
    const end = entry.key[this.#depth - 1] as number;
    if (entry.key.length === this.#depth) {
      if (this.#pending !== undefined) this.#torn = true;
      this.#pending = { end, header: entry.value as ChunkHeader, parts: [] };
      return this.#complete();
    }
    const pending = this.#pending;
    const [blob, part] = entry.key.slice(this.#depth) as [string, number];
    if (pending === undefined || pending.end !== end || pending.header.blob !== blob) {
      return undefined;
    }
    if (pending.parts.length !== part) {
      this.#torn = true;
      return undefined;
    }
    pending.parts.push(entry.value as Uint8Array);
    return this.#complete();
  }

  /**
   * Ends the read.
   *
   * @returns Whether every chunk seen was whole.
   */
  finish(): boolean {
    if (this.#pending !== undefined) this.#torn = true;
    return !this.#torn;
  }

  #complete(): StreamChunk | undefined {
    const pending = this.#pending!;
    const { header } = pending;
    if (pending.parts.length < header.parts) return undefined;
    this.#pending = undefined;
    const data = header.parts === 0 ? header.data! : _concat(pending.parts, header.bytes);
    return { start: header.start, end: pending.end, data, committedAt: header.committedAt };
  }
}

function _concat(parts: readonly Uint8Array[], bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return data;
}
