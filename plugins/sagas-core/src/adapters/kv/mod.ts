/**
 * The Deno KV saga store, the embedded default (the `kv` durability
 * tier): one SQLite file (under `.netscript/data/`) that an API and its
 * saga runners open at once. Each commit of a step's outcome and the
 * saga's progress is one atomic KV operation checked on the saga's
 * versionstamp, so a runner that lost its lease writes nothing. Needs
 * `--unstable-kv`.
 *
 * @example
 * ```ts
 * import { createKvSagaStore } from "@netscript/plugin-sagas-core/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await createKvSagaStore({ path: `${dir}/sagas.kv` });
 * await store.start({ id: "order-1", name: "checkout", version: 1, input: "{}" });
 * const [claimed] = await store.claim({
 *   owner: "runner-1",
 *   limit: 1,
 *   leaseMs: 30_000,
 *   names: ["checkout"],
 * });
 * await store.commit(claimed!.saga.id, "runner-1", {
 *   progress: { state: "completed", output: '"done"' },
 * });
 * console.log((await store.get("order-1"))?.saga.state); // "completed"
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { createKvSagaStore, type CreateKvSagaStoreOptions } from "./create_kv_saga_store.ts";
