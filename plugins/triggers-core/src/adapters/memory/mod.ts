/**
 * The in-memory delivery store, for tests, trials and the `memory` store.
 *
 * @example
 * ```ts
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 *
 * const store = createMemoryDeliveryStore();
 * console.log(await store.record({ trigger: "nightly", source: "manual", payload: null }));
 * await store.close();
 * ```
 *
 * @module
 */
export { createMemoryDeliveryStore } from "./memory_delivery_store.ts";
