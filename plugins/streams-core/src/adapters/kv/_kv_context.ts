/**
 * What every part of the KV stream store works with.
 *
 * @module
 */
import type { StoreErrorOptions } from "@netscript/store";
import type { KeySpace } from "./_key_space.ts";

/** The handle, the keys and how errors name the store. */
export interface KvContext {
  /** The open KV handle. */
  readonly kv: Deno.Kv;
  /** The store's key space. */
  readonly keys: KeySpace;
  /** How store errors name the store and its file. */
  readonly errors: StoreErrorOptions;
}
