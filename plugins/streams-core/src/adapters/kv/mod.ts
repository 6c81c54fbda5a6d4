/**
 * The Deno KV stream store, the embedded default: one SQLite file (under
 * `.netscript/data/`) that an API and its workers open at once. Commits
 * are KV atomic operations with a version check on each stream's record;
 * chunks are keyed by where they end, and chunks over 64 KiB are kept in
 * parts, written ahead of the commit that makes them visible. Needs
 * `--unstable-kv`.
 *
 * @example
 * ```ts
 * import { createKvStreamStore } from "@netscript/plugin-streams-core/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await createKvStreamStore({ path: `${dir}/streams.kv` });
 * console.log(await store.list({ limit: 10 })); // []
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { createKvStreamStore, type CreateKvStreamStoreOptions } from "./create_kv_stream_store.ts";
