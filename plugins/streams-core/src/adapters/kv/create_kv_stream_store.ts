/**
 * Opening the Deno KV stream store.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";
import { openKvFile } from "@netscript/store/kv";
import type { StreamStore } from "../../ports/stream_store.ts";
import { sweepTrash } from "./_delete_batches.ts";
import { KeySpace } from "./_key_space.ts";
import { KvStreamStore } from "./_kv_stream_store.ts";
import { STREAM_STORE } from "./_store_names.ts";

/** Options of {@linkcode createKvStreamStore}. */
export interface CreateKvStreamStoreOptions {
  /**
   * The KV (SQLite) file, e.g. `.netscript/data/streams.kv`; without it,
   * Deno's default store for the script. Several processes may open the
   * same file at once.
   */
  path?: string | undefined;
  /**
   * The first parts of every key the store writes, so the file can hold
   * other plugins' data too.
   * @default {["streams"]}
   */
  prefix?: Deno.KvKey | undefined;
  /**
   * How often `waitForChange` reads a stream's record, to see commits by
   * other processes on the same file (`kv.watch` sees this process's own
   * commits at once).
   * @default {100}
   */
  pollMs?: number | undefined;
  /**
   * Create the file's folder when it is missing.
   * @default {true}
   */
  createFolder?: boolean | undefined;
}

/**
 * Opens a {@linkcode StreamStore} on a Deno KV file: the embedded store,
 * durable once a commit returns, shared by every process that opens the
 * file. Needs `--unstable-kv` (or `"unstable": ["kv"]` in `deno.json`).
 *
 * A commit is one KV atomic operation with a check on each stream's
 * record, so it is all or nothing across processes. Chunk data that does
 * not fit one operation (over 512 KiB in a commit) is written ahead in
 * 64 KiB parts that no reader sees until that operation names them; an
 * append of any size is therefore atomic. What must still fit the one
 * operation: about 900 chunks per commit, and a stream's record (its
 * producer ids) under 64 KiB; a commit over those limits is refused with
 * `STREAMS_PAYLOAD_TOO_LARGE` and writes nothing. A stream's path must fit
 * a KV key: about 1,950 bytes of UTF-8 (a longer one is a `RangeError`).
 *
 * Deleting a stream removes it at once; its chunks are removed in batches
 * right after, or by the next store opened on the file if the process
 * stops first. Parts written ahead by a process that stops before its
 * commit stay until their stream is deleted.
 *
 * @param options The file, the key prefix, the polling interval, and whether to create the folder.
 * @returns The store; `close()` closes the file.
 * @throws {NetScriptError} `STORE_UNAVAILABLE`, with `details.path`, when
 * Deno KV is not enabled or the file cannot be opened as a KV store (not a
 * database, a folder, no permission).
 *
 * @example
 * ```ts
 * import { createKvStreamStore } from "@netscript/plugin-streams-core/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await createKvStreamStore({ path: `${dir}/streams.kv` });
 * console.log(await store.get("/v1/stream/orders")); // undefined
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function createKvStreamStore(
  options: CreateKvStreamStoreOptions = {},
): Promise<StreamStore> {
  const errors: StoreErrorOptions = {
    ...STREAM_STORE,
    driver: "kv",
    target: options.path === undefined ? "Deno's default KV store" : JSON.stringify(options.path),
    details: { path: options.path ?? null },
  };
  const kv = await openKvFile(options.path, {
    createFolder: options.createFolder ?? true,
    store: STREAM_STORE,
  });
  const context = { kv, keys: new KeySpace(options.prefix ?? ["streams"]), errors };
  const store = new KvStreamStore(context, options.pollMs ?? 100);
  try {
    await sweepTrash(context);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
