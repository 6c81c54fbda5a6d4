/**
 * Test support for delivery store adapters: the conformance suite every
 * adapter of the `DeliveryStore` port passes.
 *
 * @example
 * ```ts ignore
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { deliveryStoreConformance } from "@netscript/plugin-triggers-core/testing";
 *
 * Deno.test("the memory delivery store conforms", (t) =>
 *   deliveryStoreConformance(t, () => Promise.resolve(createMemoryDeliveryStore())));
 * ```
 *
 * @module
 */
export { deliveryStoreConformance, type DeliveryStoreConformanceOptions } from "./conformance.ts";
