/**
 * The in-memory saga store, for tests, trials and the `memory` store.
 *
 * @example
 * ```ts
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 *
 * const store = createMemorySagaStore();
 * console.log(await store.start({ id: "order-1", name: "checkout", version: 1, input: "{}" }));
 * await store.close();
 * ```
 *
 * @module
 */
export { createMemorySagaStore } from "./memory_saga_store.ts";
