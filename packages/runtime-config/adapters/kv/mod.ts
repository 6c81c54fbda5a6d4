/**
 * A config store on a Deno KV (SQLite) file, the default for a workspace on
 * one machine: every process that opens the file shares the values, and
 * watches see other processes' writes within `pollMs`. Needs `--unstable-kv`.
 *
 * @example
 * ```ts
 * import { createKvConfigStore } from "@netscript/runtime-config/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await createKvConfigStore({ path: `${dir}/config.sqlite3` });
 * await store.write("workers", { concurrency: 4 });
 * console.log((await store.read("workers"))?.value); // { concurrency: 4 }
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { createKvConfigStore, type CreateKvConfigStoreOptions } from "./kv_config_store.ts";
