/**
 * The in-memory stream store, for tests and trials.
 *
 * @example
 * ```ts
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 *
 * const store = await createMemoryStreamStore();
 * await store.close();
 * ```
 *
 * @module
 */
export { createMemoryStreamStore } from "./memory_stream_store.ts";
