/**
 * The PostgreSQL delivery store, for production: processors in any number
 * of processes share the `triggers_deliveries` table (claims use
 * `FOR UPDATE SKIP LOCKED`) and wake on `NOTIFY triggers_deliveries`.
 * Create the tables with `netscript db migrate`.
 *
 * @example
 * ```ts ignore
 * import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
 *
 * const store = createPostgresDeliveryStore(); // DATABASE_URL
 * await store.record({ trigger: "github", source: "webhook", key: "d-1", payload: {} });
 * console.log(await store.stats());
 * await store.close();
 * ```
 *
 * @module
 */
export {
  createPostgresDeliveryStore,
  type CreatePostgresDeliveryStoreOptions,
} from "./postgres_delivery_store.ts";
