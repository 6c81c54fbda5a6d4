/**
 * The PostgreSQL saga store, for production: runners in any number of
 * processes share the `sagas_runs` table (claims use
 * `FOR UPDATE SKIP LOCKED`), each step costs one single-statement commit,
 * and waiting runners wake on `NOTIFY sagas_runs`. Create the tables with
 * `netscript db migrate`.
 *
 * @example
 * ```ts ignore
 * import { createPostgresSagaStore } from "@netscript/plugin-sagas-core/postgres";
 *
 * const store = createPostgresSagaStore(); // DATABASE_URL
 * await store.start({ id: "order-1", name: "checkout", version: 1, input: '{"order":1}' });
 * console.log(await store.stats());
 * await store.close();
 * ```
 *
 * @module
 */
export {
  createPostgresSagaStore,
  type CreatePostgresSagaStoreOptions,
} from "./postgres_saga_store.ts";
export { startSagaInTransaction } from "./start_in_transaction.ts";
