/**
 * Test support for config store adapters: the conformance suite every
 * adapter passes (reads, revisions, conflicts, watches, JSON copies, close).
 *
 * @example
 * ```ts ignore
 * import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
 * import { configStoreConformance } from "@netscript/runtime-config/testing";
 *
 * Deno.test("the memory store conforms", (t) =>
 *   configStoreConformance(t, createMemoryConfigStore));
 * ```
 *
 * @module
 */
export { configStoreConformance } from "./conformance.ts";
