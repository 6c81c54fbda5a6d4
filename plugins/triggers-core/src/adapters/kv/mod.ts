/**
 * The Deno KV delivery store, the embedded default: one SQLite file (under
 * `.netscript/data/`) that the triggers API and the trigger processor open
 * at once. Records are atomic operations with a check on the (trigger,
 * key) index, so a key makes one delivery however many processes race.
 * Needs `--unstable-kv`.
 *
 * @example
 * ```ts
 * import { openKvDeliveryStore } from "@netscript/plugin-triggers-core/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await openKvDeliveryStore(`${dir}/triggers.kv`);
 * console.log(await store.stats());
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { openKvDeliveryStore, type OpenKvDeliveryStoreOptions } from "./kv_delivery_store.ts";
