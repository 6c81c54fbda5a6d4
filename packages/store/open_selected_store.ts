/**
 * {@linkcode openSelectedStore}: opens the store {@linkcode selectStore}
 * chooses, with the opener a plugin gives for each kind it supports.
 *
 * @module
 */
import {
  selectStore,
  type SelectStoreOptions,
  type StoreKind,
  type StoreSelection,
} from "./select_store.ts";

/** How a plugin opens each store it keeps its data in, from the selection. */
export type StoreOpeners<TKind extends StoreKind, TStore> = {
  readonly [K in TKind]: (
    selection: Extract<StoreSelection, { kind: K }>,
  ) => TStore | Promise<TStore>;
};

/** A store {@linkcode openSelectedStore} opened. */
export interface OpenedStore<TStore, TKind extends StoreKind = StoreKind> {
  /** Which store it is. */
  readonly kind: TKind;
  /** Where it is: a URL without its password, or the KV file. */
  readonly location: string;
  /** The store. */
  readonly store: TStore;
}

/**
 * Chooses a plugin's store from the environment with
 * {@linkcode selectStore} and opens it with the plugin's opener for that
 * kind.
 *
 * @param options The plugin's variable prefix, KV slug, environment and supported kinds.
 * @param openers How to open each supported kind.
 * @returns The open store, its kind and its location.
 * @throws {NetScriptError} `STORE_INVALID` as {@linkcode selectStore} does;
 * what the opener throws (`STORE_UNAVAILABLE`).
 *
 * @example
 * ```ts
 * import { envFrom, openSelectedStore } from "@netscript/store";
 *
 * const opened = await openSelectedStore(
 *   { prefix: "NOTES", env: envFrom({ NOTES_KV_PATH: "/tmp/notes.kv" }), kinds: ["postgres", "kv"] },
 *   { postgres: ({ url }) => `a pool on ${url}`, kv: ({ path }) => `a KV file at ${path}` },
 * );
 * console.log(opened.kind, opened.store); // "kv" "a KV file at /tmp/notes.kv"
 * ```
 */
export async function openSelectedStore<TKind extends StoreKind, TStore>(
  options: SelectStoreOptions<TKind> & { readonly kinds: readonly TKind[] },
  openers: StoreOpeners<TKind, TStore>,
): Promise<OpenedStore<TStore, TKind>> {
  const selected = selectStore(options);
  const open = openers[selected.kind as TKind] as (
    selection: StoreSelection,
  ) => TStore | Promise<TStore>;
  return { kind: selected.kind as TKind, location: selected.location, store: await open(selected) };
}
