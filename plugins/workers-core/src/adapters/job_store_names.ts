/**
 * How the workers job store is named in store errors: the dependency a
 * service's 503 names, the subject of messages, and the tables a
 * `SCHEMA_MISSING` message says are missing.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";

/** The names every workers adapter gives `@netscript/runtime`'s store errors. */
export const JOB_STORE: Readonly<Omit<StoreErrorOptions, "driver" | "target">> = {
  dependency: "job store",
  label: "the workers job store",
  tables: "workers tables",
};
