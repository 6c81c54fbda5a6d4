/**
 * Test support for stream store adapters: the conformance suite every
 * adapter of the `StreamStore` port passes.
 *
 * @example
 * ```ts ignore
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 * import { streamStoreConformance } from "@netscript/plugin-streams-core/testing";
 *
 * Deno.test("the memory stream store conforms", (t) =>
 *   streamStoreConformance(t, () => createMemoryStreamStore()));
 * ```
 *
 * @module
 */
export { streamStoreConformance, type StreamStoreConformanceOptions } from "./conformance.ts";
