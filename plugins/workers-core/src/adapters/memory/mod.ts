/**
 * The in-memory job queue and schedule store, for tests.
 *
 * @module
 */
export { MemoryJobQueue } from "./memory_queue.ts";
