/**
 * Opening the Deno KV saga store.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";
import { KvChangeWaits, openKvFile } from "@netscript/store/kv";
import type { SagaStore } from "../../ports/saga_store.ts";
import { KeySpace } from "./_key_space.ts";
import { SAGA_STORE } from "./_store_names.ts";
import { KvSagaStore } from "./kv_saga_store.ts";

/** Options of {@linkcode createKvSagaStore}. */
export interface CreateKvSagaStoreOptions {
  /**
   * An open KV handle to keep the sagas in; `close()` leaves it open.
   * Without it, the store opens `path` and closes it in `close()`.
   */
  kv?: Deno.Kv | undefined;
  /**
   * The KV (SQLite) file, e.g. `.netscript/data/sagas.kv`: opened when no
   * `kv` is given (without either, Deno's default store for the script),
   * and watched, so a commit by any process on the file wakes
   * `waitForWork` at once (this needs read permission for its folder).
   * With a `kv`, pass the file it opened, if any.
   */
  path?: string | undefined;
  /**
   * The first parts of every key the store writes, so the file can hold
   * other plugins' data too.
   * @default {["sagas"]}
   */
  prefix?: Deno.KvKey | undefined;
  /**
   * How often `waitForWork` reads the wake-up counter in any case: a
   * backstop when the file is watched, else how writes by other processes
   * are seen at all.
   * @default {1000 with a path, else 100}
   */
  wakePollMs?: number | undefined;
  /**
   * Create the file's folder when it is missing (when the store opens `path`).
   * @default {true}
   */
  createFolder?: boolean | undefined;
}

/**
 * Opens a {@linkcode SagaStore} on Deno KV: the embedded store, shared by
 * every process that opens the file. Needs `--unstable-kv` (or
 * `"unstable": ["kv"]` in `deno.json`).
 *
 * Durability: each commit of a runner (a step's outcome and the saga's
 * progress) is one atomic KV operation, checked on the saga record's
 * versionstamp, so a runner that lost its lease writes nothing; it is
 * committed before `commit` returns, and so before the next step starts.
 * Values over KV's 64 KiB value limit (an input, a result, a payload or
 * an output of up to 512 KiB) are kept in parts written, and replaced, in
 * that same operation; one commit's values together must fit one
 * operation (about 800,000 bytes), else it is a `RangeError` and writes
 * nothing. A claim takes each saga in its own operation checked on the
 * saga as read, so two runners never hold one saga. Counts by state are
 * counters changed in the same operations as the states, so `stats` and
 * `list`'s total are exact and read a few keys. A commit that moves a
 * saga to a watched state records its state event in that same
 * operation; the watched pairs are one key each commit checks at the
 * versionstamp the store last read, read again only when a check fails.
 *
 * @param options The handle or file, the key prefix, the wake-up polling
 * interval, and whether to create the folder.
 * @returns The store.
 * @throws {NetScriptError} `STORE_UNAVAILABLE`, with `details.path`, when
 * Deno KV is not enabled or the file cannot be opened as a KV store (not a
 * database, a folder, no permission).
 *
 * @example
 * ```ts
 * import { createKvSagaStore } from "@netscript/plugin-sagas-core/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await createKvSagaStore({ path: `${dir}/sagas.kv` });
 * await store.start({ id: "order-1", name: "checkout", version: 1, input: '{"total":42}' });
 * console.log((await store.stats()).running); // 1
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function createKvSagaStore(
  options: CreateKvSagaStoreOptions = {},
): Promise<SagaStore> {
  const { path } = options;
  const kv = options.kv ?? await openKvFile(path, {
    createFolder: options.createFolder ?? true,
    store: SAGA_STORE,
  });
  const keys = new KeySpace(options.prefix ?? ["sagas"]);
  const errors: StoreErrorOptions = {
    ...SAGA_STORE,
    driver: "kv",
    target: path === undefined ? "its Deno KV store" : JSON.stringify(path),
    details: { path: path ?? null },
  };
  const waits = new KvChangeWaits(kv, keys.wake, {
    path,
    pollMs: options.wakePollMs ?? (path === undefined ? 100 : 1000),
  });
  return new KvSagaStore({ kv, keys, errors }, waits, options.kv === undefined);
}
