/**
 * Store plumbing every plugin shares: choose the workspace's store from the
 * environment (PostgreSQL when the database is PostgreSQL, Deno KV
 * otherwise, Redis where asked), classify driver failures into the shared
 * `STORE_UNAVAILABLE` and `SCHEMA_MISSING` codes without leaking
 * passwords, wake waiters when new work arrives, and make record ids that
 * sort by age. The drivers' own
 * helpers live on `@netscript/store/postgres`, `/redis` and `/kv`.
 *
 * @example Choose and describe a plugin's store
 * ```ts
 * import { envFrom, selectStore } from "@netscript/store";
 *
 * const store = selectStore({ prefix: "BILLING", env: envFrom({ BILLING_STORE: "kv" }) });
 * console.log(store.kind, store.location); // "kv" ".netscript/data/billing.kv"
 * ```
 *
 * @module
 */

export { envFrom, type EnvReader, processEnv, readVariable } from "./env_reader.ts";
export { STORE_SELECTION_ERROR_CODES, type StoreSelectionErrorCode } from "./store_error_codes.ts";
export {
  classifyStoreError,
  type StoreDriver,
  type StoreErrorOptions,
  storeUnavailableError,
  type StoreUnavailableOptions,
} from "./classify_store_error.ts";
export { checkStoreUrl, type CheckStoreUrlOptions } from "./check_store_url.ts";
export { type OpenedStore, openSelectedStore, type StoreOpeners } from "./open_selected_store.ts";
export { redactSecrets } from "./redact.ts";
export {
  DATA_FOLDER,
  selectStore,
  type SelectStoreOptions,
  type StoreKind,
  type StoreSelection,
} from "./select_store.ts";
export {
  checkStateEventLimit,
  isWatched,
  type StateEvent,
  type StateEventLog,
  type WatchedState,
} from "./state_events.ts";
export { MemoryStateEvents } from "./memory_state_events.ts";
export { createTimeOrderedId, firstTimeOrderedIdAt } from "./time_ordered_id.ts";
export { type WakeListener, WakeSignal } from "./wake_signal.ts";
