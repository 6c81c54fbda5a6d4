/**
 * How the PostgreSQL saga store is named in store errors.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";

/** The store's names in `STORE_UNAVAILABLE` and `SCHEMA_MISSING` errors. */
export const SAGA_STORE: Readonly<Omit<StoreErrorOptions, "driver" | "target">> = {
  dependency: "saga store",
  label: "the sagas store",
  tables: "sagas tables",
};
