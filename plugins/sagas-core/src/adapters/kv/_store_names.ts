/**
 * How the Deno KV saga store is named in store errors.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";

/** The names the KV saga store gives `@netscript/store`'s errors. */
export const SAGA_STORE: Readonly<Omit<StoreErrorOptions, "driver" | "target">> = {
  dependency: "saga store",
  label: "the sagas store",
};
