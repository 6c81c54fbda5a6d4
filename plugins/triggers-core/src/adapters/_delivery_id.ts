/**
 * What a delivery id looks like: the UUIDv7 `createTimeOrderedId` of
 * `@netscript/store` makes, so ids sort by age.
 *
 * @module
 */

/** A delivery id as the stores make it. */
export const DELIVERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
