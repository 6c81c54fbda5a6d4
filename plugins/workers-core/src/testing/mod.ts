/**
 * Test support for job queue adapters: the conformance suite every adapter
 * passes, and the checks that queues sharing a store claim each job once
 * and keep a job kind's limit together.
 *
 * @module
 */
export { assertExclusiveClaims } from "./exclusive_claims.ts";
export { assertKindLimitShared } from "./kind_limit.ts";
export { jobQueueConformance, type StoreUnderTest } from "./conformance.ts";
