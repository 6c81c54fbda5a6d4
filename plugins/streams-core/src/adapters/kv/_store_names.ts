/**
 * How the Deno KV stream store is named in store errors.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";

/** The names the KV stream store gives `@netscript/store`'s errors. */
export const STREAM_STORE: Readonly<Omit<StoreErrorOptions, "driver" | "target">> = {
  dependency: "stream store",
  label: "the streams store",
};
