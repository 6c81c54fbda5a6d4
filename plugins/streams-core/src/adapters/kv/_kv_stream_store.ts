/**
 * The {@linkcode StreamStore} on Deno KV; {@linkcode createKvStreamStore}
 * opens it.
 *
 * @module
 */
import { classifyStoreError } from "@netscript/store";
import { commitAtomic, waitForKvChange } from "@netscript/store/kv";
import type {
  ReadChunksOptions,
  StreamChunk,
  StreamRecord,
  StreamStore,
  StreamSummary,
  StreamWrite,
} from "../../ports/stream_store.ts";
import { commitWrites } from "./_commit_writes.ts";
import { dropChunksBefore } from "./_delete_batches.ts";
import type { KvContext } from "./_kv_context.ts";
import { encodedKeySize, MAX_KEY_BYTES } from "./_kv_limits.ts";
import { listStreams } from "./_list_streams.ts";
import { readChunksFrom } from "./_read_chunks.ts";
import { type StoredRecord, withAccess } from "./_stored_record.ts";

/**
 * A stream store on a Deno KV handle, which it closes in `close()`. Every
 * failure of the file is a `STORE_UNAVAILABLE` error.
 */
export class KvStreamStore implements StreamStore {
  readonly #context: KvContext;
  readonly #kv: Deno.Kv;
  readonly #keys: KvContext["keys"];
  readonly #pollMs: number;
  readonly #closing = new AbortController();
  readonly #waits = new Set<Promise<unknown>>();

  /**
   * @param context The open handle (the store owns it), the keys and error names.
   * @param pollMs How often waits read a record for commits by other processes.
   */
  constructor(context: KvContext, pollMs: number) {
    this.#context = context;
    this.#kv = context.kv;
    this.#keys = context.keys;
    this.#pollMs = pollMs;
  }

  /** {@inheritDoc StreamStore.get} */
  get(path: string): Promise<StreamRecord | undefined> {
    return this.#run(async () => {
      if (!this.#fits(path)) return undefined;
      const [record, accessed] = await this.#kv.getMany<[StoredRecord, number]>([
        this.#keys.record(path),
        this.#keys.accessed(path),
      ]);
      return record.value === null ? undefined : withAccess(record, accessed);
    });
  }

  /**
   * {@inheritDoc StreamStore.commit}
   *
   * @throws {NetScriptError} `STREAMS_PAYLOAD_TOO_LARGE` when the writes
   * exceed one Deno KV atomic operation besides their chunk data: about
   * 900 chunks, or a record over 64 KiB.
   * @throws {RangeError} When a path is too long for a KV key, or two
   * writes name one path.
   */
  commit(writes: readonly StreamWrite[]): Promise<boolean> {
    return this.#run(() => {
      const paths = writes.map((write) => write.kind === "put" ? write.record.path : write.path);
      for (const path of paths) {
        if (!this.#fits(path)) {
          throw new RangeError(
            `Cannot store stream ${
              JSON.stringify(path)
            } in Deno KV: its path is too long for a key; use a shorter path`,
          );
        }
      }
      if (new Set(paths).size !== paths.length) {
        throw new RangeError(`A commit names a stream twice: ${JSON.stringify(paths)}`);
      }
      return commitWrites(this.#context, writes);
    });
  }

  /** {@inheritDoc StreamStore.readChunks} */
  readChunks(path: string, from: number, options: ReadChunksOptions): Promise<StreamChunk[]> {
    return this.#run(() =>
      this.#fits(path)
        ? readChunksFrom(this.#context, { path, from, maxBytes: options.maxBytes })
        : Promise.resolve([])
    );
  }

  /** {@inheritDoc StreamStore.dropChunks} */
  dropChunks(path: string, before: number): Promise<number> {
    return this.#run(() =>
      this.#fits(path) ? dropChunksBefore(this.#context, { path, before }) : Promise.resolve(0)
    );
  }

  /**
   * {@inheritDoc StreamStore.touch}
   *
   * `accessedAt` is kept under its own key, checked against the stream's
   * generation (which only creation and deletion change), so a touch and
   * a commit never make each other fail.
   */
  touch(path: string, at: number): Promise<void> {
    return this.#run(async () => {
      if (!this.#fits(path)) return;
      for (;;) {
        const generation = await this.#kv.get<string>(this.#keys.generation(path));
        if (generation.value === null) return;
        const op = this.#kv.atomic().check(generation).set(this.#keys.accessed(path), at);
        if ((await commitAtomic(op, this.#context.errors)).ok) return;
      }
    });
  }

  /**
   * {@inheritDoc StreamStore.waitForChange}
   *
   * Commits in this process wake it at once; commits by other processes
   * on the same file within the store's polling interval.
   */
  waitForChange(
    path: string,
    version: number,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    const stop = options.signal === undefined
      ? this.#closing.signal
      : AbortSignal.any([options.signal, this.#closing.signal]);
    if (stop.aborted || !this.#fits(path)) return Promise.resolve();
    const wait = this.#run(async () => {
      const key = this.#keys.record(path);
      const entry = await this.#kv.get<StoredRecord>(key);
      if (entry.value?.record.version !== version) return;
      await waitForKvChange(this.#kv, key, {
        seen: entry.versionstamp,
        timeoutMs: options.timeoutMs,
        pollMs: this.#pollMs,
        signal: stop,
      });
    });
    this.#waits.add(wait);
    return wait.finally(() => this.#waits.delete(wait));
  }

  /** {@inheritDoc StreamStore.list} */
  list(options: { prefix?: string; after?: string; limit: number }): Promise<StreamSummary[]> {
    return this.#run(() => listStreams(this.#context, options));
  }

  /** Ends pending waits, then closes the KV handle; closing again does nothing. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    await Promise.allSettled(this.#waits);
    this.#kv.close();
  }

  /** Whether every key of a stream at `path` fits KV's key size; the longest is a chunk's part. */
  #fits(path: string): boolean {
    const id = "0".repeat(16);
    const longest = [...this.#keys.chunk(path, id, 0), id, 0];
    return encodedKeySize(longest) <= MAX_KEY_BYTES;
  }

  /** Runs an operation, turning failures of the file into `STORE_UNAVAILABLE`. */
  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw classifyStoreError(error, this.#context.errors);
    }
  }
}
