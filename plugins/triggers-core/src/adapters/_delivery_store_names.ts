/**
 * How the triggers' delivery store is named in store errors: the
 * dependency a service's 503 names, the subject of messages, and the
 * tables a `SCHEMA_MISSING` message says are missing.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";

/** The names every delivery store adapter gives `@netscript/store`'s errors. */
export const DELIVERY_STORE: Readonly<Omit<StoreErrorOptions, "driver" | "target">> = {
  dependency: "delivery store",
  label: "the triggers delivery store",
  tables: "triggers tables",
};
