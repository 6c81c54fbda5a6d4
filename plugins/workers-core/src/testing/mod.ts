/**
 * Test support for job queue adapters: the conformance suite every adapter
 * passes.
 *
 * @module
 */
export { jobQueueConformance, type StoreUnderTest } from "./conformance.ts";
