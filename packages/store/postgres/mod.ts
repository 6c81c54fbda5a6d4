/**
 * PostgreSQL helpers every plugin's store shares: a `LISTEN` connection
 * that reconnects by itself and wakes waiters on `NOTIFY`, a way to name
 * the server in messages without its password, a store's connection pool
 * (its own or the caller's), and statements run as named prepared
 * statements, alone or in a transaction.
 *
 * @example Wait for notifications on a channel
 * ```ts ignore
 * import { createPostgresListener } from "@netscript/store/postgres";
 *
 * const listener = createPostgresListener({
 *   config: { connectionString: Deno.env.get("DATABASE_URL") },
 *   channels: ["billing_invoices"],
 *   name: "billing listener",
 *   applicationName: "netscript-billing-listener",
 * });
 * await listener.wait(5_000);
 * await listener.close();
 * ```
 *
 * @module
 */

export { createPostgresListener, type PostgresListenerOptions } from "./postgres_listener.ts";
export { describePostgresTarget, type PostgresTargetConfig } from "./postgres_target.ts";
export {
  inTransaction,
  type InTransactionOptions,
  preparedRunner,
  type PreparedRunnerOptions,
  type SqlRunner,
} from "./prepared_statements.ts";
export {
  executorRunner,
  type PgQueryable,
  type PrismaRawQueryable,
  type SqlExecutor,
} from "./sql_executor.ts";
export { type StorePool, storePool, type StorePoolOptions } from "./store_pool.ts";
export type { WakeListener } from "../wake_signal.ts";
