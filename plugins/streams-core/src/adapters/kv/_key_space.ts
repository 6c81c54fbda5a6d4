/**
 * Where the Deno KV stream store keeps each piece of a stream, under one
 * prefix (`["streams"]` unless told otherwise), so the file can be shared
 * with other plugins' stores.
 *
 * - `record/<path>` → the stream's record and the id of its generation.
 * - `generation/<path>` → that id alone: it changes only when the stream
 *   is created or deleted, so retention and `touch` check it instead of the
 *   record and never race an append.
 * - `accessed/<path>` → `accessedAt` as last set by `touch`; the newer of
 *   it and the record's (by versionstamp) is the stream's.
 * - `size/<path>/bytes` and `size/<path>/chunks`: `Deno.KvU64` counters of
 *   the data the stream holds, for `list`.
 * - `chunk/<path>/<generation>/<end>` → a chunk's start, commit time,
 *   size and data (or the id and count of the parts that hold it);
 *   `…/<end>/<blob>/<part>` → one part of a chunk kept in parts. Keyed by
 *   where a chunk ends, so the chunks that end after a position start right
 *   after it in key order.
 * - `trash/<path>/<generation>`: a deleted generation whose chunks are
 *   still to be removed.
 *
 * @module
 */

/** Builds every key of one stream store. */
export class KeySpace {
  readonly #prefix: Deno.KvKey;

  /**
   * Creates the key space.
   *
   * @param prefix The first parts of every key.
   */
  constructor(prefix: Deno.KvKey) {
    this.#prefix = prefix;
  }

  /** The prefix of every stream record, in path order. */
  get records(): Deno.KvKey {
    return [...this.#prefix, "record"];
  }

  /** The prefix of every deleted generation still to be swept. */
  get trashed(): Deno.KvKey {
    return [...this.#prefix, "trash"];
  }

  /** @param path A stream's path. @returns Its record's key. */
  record(path: string): Deno.KvKey {
    return [...this.records, path];
  }

  /** @param path A stream's path. @returns The key of its generation id. */
  generation(path: string): Deno.KvKey {
    return [...this.#prefix, "generation", path];
  }

  /** @param path A stream's path. @returns The key of its last touch. */
  accessed(path: string): Deno.KvKey {
    return [...this.#prefix, "accessed", path];
  }

  /** @param path A stream's path. @returns The key of its byte counter. */
  bytes(path: string): Deno.KvKey {
    return [...this.#prefix, "size", path, "bytes"];
  }

  /** @param path A stream's path. @returns The key of its chunk counter. */
  chunkCount(path: string): Deno.KvKey {
    return [...this.#prefix, "size", path, "chunks"];
  }

  /** @param path A stream's path. @param generation Its generation id. @returns The prefix of its chunks. */
  chunks(path: string, generation: string): Deno.KvKey {
    return [...this.#prefix, "chunk", path, generation];
  }

  /**
   * @param path A stream's path.
   * @param generation Its generation id.
   * @param end Where the chunk ends.
   * @returns The key of the chunk's header.
   */
  chunk(path: string, generation: string, end: number): Deno.KvKey {
    return [...this.chunks(path, generation), end];
  }

  /**
   * A key after every key of the chunks that end at or before `position`
   * and before those of every chunk that ends after it (booleans sort after
   * numbers in KV keys).
   *
   * @param path A stream's path.
   * @param generation Its generation id.
   * @param position A position.
   * @returns The boundary key.
   */
  chunksAfter(path: string, generation: string, position: number): Deno.KvKey {
    return [...this.chunk(path, generation, position), true];
  }

  /** @param path A stream's path. @param generation A deleted generation. @returns Its trash marker. */
  trash(path: string, generation: string): Deno.KvKey {
    return [...this.trashed, path, generation];
  }
}
