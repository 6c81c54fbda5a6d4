/**
 * Test support for job queue adapters: the conformance suite every adapter
 * passes, and the check that queues sharing a store claim each job once.
 *
 * @module
 */
export { assertExclusiveClaims } from "./exclusive_claims.ts";
export { jobQueueConformance, type StoreUnderTest } from "./conformance.ts";
