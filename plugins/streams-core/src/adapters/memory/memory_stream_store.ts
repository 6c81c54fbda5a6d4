import type {
  ReadChunksOptions,
  StreamChunk,
  StreamRecord,
  StreamStore,
  StreamSummary,
  StreamWrite,
} from "../../ports/stream_store.ts";

interface _Entry {
  record: StreamRecord;
  chunks: StreamChunk[];
}

function _copyRecord(record: StreamRecord): StreamRecord {
  return structuredClone(record);
}

function _copyChunk(chunk: StreamChunk): StreamChunk {
  return {
    start: chunk.start,
    end: chunk.end,
    data: chunk.data.slice(),
    committedAt: chunk.committedAt,
  };
}

/**
 * A {@linkcode StreamStore} that keeps everything in the process's memory:
 * for tests and for trying the protocol out. Nothing survives the process;
 * use the Postgres or Deno KV adapter for anything real.
 */
class _MemoryStreamStore implements StreamStore {
  #entries = new Map<string, _Entry>();
  #waiters = new Map<string, Set<() => void>>();
  #closed = false;

  get(path: string): Promise<StreamRecord | undefined> {
    const entry = this.#entries.get(path);
    return Promise.resolve(entry ? _copyRecord(entry.record) : undefined);
  }

  commit(writes: readonly StreamWrite[]): Promise<boolean> {
    for (const write of writes) {
      const path = write.kind === "put" ? write.record.path : write.path;
      const stored = this.#entries.get(path)?.record.version ?? null;
      if (stored !== write.expectedVersion) return Promise.resolve(false);
    }
    for (const write of writes) {
      if (write.kind === "delete") {
        this.#entries.delete(write.path);
        this.#wake(write.path);
        continue;
      }
      const path = write.record.path;
      const entry = this.#entries.get(path) ?? { record: write.record, chunks: [] };
      entry.record = _copyRecord(write.record);
      for (const chunk of write.chunks) entry.chunks.push(_copyChunk(chunk));
      this.#entries.set(path, entry);
      this.#wake(path);
    }
    return Promise.resolve(true);
  }

  readChunks(path: string, from: number, options: ReadChunksOptions): Promise<StreamChunk[]> {
    const chunks = this.#entries.get(path)?.chunks ?? [];
    let low = 0;
    let high = chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (chunks[middle]!.end <= from) low = middle + 1;
      else high = middle;
    }
    const found: StreamChunk[] = [];
    let bytes = 0;
    for (let index = low; index < chunks.length; index++) {
      const chunk = chunks[index]!;
      if (found.length > 0 && bytes + chunk.data.byteLength > options.maxBytes) break;
      found.push(_copyChunk(chunk));
      bytes += chunk.data.byteLength;
    }
    return Promise.resolve(found);
  }

  dropChunks(path: string, before: number): Promise<number> {
    const entry = this.#entries.get(path);
    if (!entry) return Promise.resolve(0);
    const kept = entry.chunks.filter((chunk) => chunk.end > before);
    const dropped = entry.chunks.length - kept.length;
    entry.chunks = kept;
    return Promise.resolve(dropped);
  }

  touch(path: string, at: number): Promise<void> {
    const entry = this.#entries.get(path);
    if (entry) entry.record = { ...entry.record, accessedAt: at };
    return Promise.resolve();
  }

  waitForChange(
    path: string,
    version: number,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    if (this.#closed || options.signal?.aborted) return Promise.resolve();
    if (this.#entries.get(path)?.record.version !== version) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(path) ?? new Set<() => void>();
      this.#waiters.set(path, waiters);
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", done);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(path) === waiters) this.#waiters.delete(path);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, options.timeoutMs));
      options.signal?.addEventListener("abort", done, { once: true });
      waiters.add(done);
    });
  }

  list(options: { prefix?: string; after?: string; limit: number }): Promise<StreamSummary[]> {
    const paths = [...this.#entries.keys()]
      .filter((path) => options.prefix === undefined || path.startsWith(options.prefix))
      .filter((path) => options.after === undefined || path > options.after)
      .sort()
      .slice(0, Math.max(0, options.limit));
    return Promise.resolve(paths.map((path) => {
      const entry = this.#entries.get(path)!;
      const bytes = entry.chunks.reduce((sum, chunk) => sum + chunk.data.byteLength, 0);
      return { record: _copyRecord(entry.record), bytes, chunks: entry.chunks.length };
    }));
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const path of [...this.#waiters.keys()]) this.#wake(path);
    return Promise.resolve();
  }

  #wake(path: string): void {
    const waiters = this.#waiters.get(path);
    if (!waiters) return;
    for (const done of [...waiters]) done();
  }
}

/**
 * Creates a {@linkcode StreamStore} that keeps streams in memory, for tests
 * and trials. Commits are atomic and version-checked like the durable
 * adapters'; nothing survives the process.
 *
 * @returns An empty store.
 *
 * @example
 * ```ts
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 *
 * const store = await createMemoryStreamStore();
 * console.log(await store.get("/v1/stream/orders")); // undefined
 * await store.close();
 * ```
 */
export function createMemoryStreamStore(): Promise<StreamStore> {
  return Promise.resolve(new _MemoryStreamStore());
}
