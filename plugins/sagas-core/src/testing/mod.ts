/**
 * Test support for saga store adapters: the conformance suite every
 * adapter of the `SagaStore` port passes.
 *
 * @example
 * ```ts ignore
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 * import { sagaStoreConformance } from "@netscript/plugin-sagas-core/testing";
 *
 * Deno.test("the memory saga store conforms", (t) =>
 *   sagaStoreConformance(t, () => Promise.resolve(createMemorySagaStore())));
 * ```
 *
 * @module
 */
export { sagaStoreConformance, type SagaStoreConformanceOptions } from "./conformance.ts";
