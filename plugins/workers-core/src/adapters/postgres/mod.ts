/**
 * The PostgreSQL job queue and schedule store, for production: workers in
 * any number of processes share the `workers_jobs` table (claims use
 * `FOR UPDATE SKIP LOCKED`), wake on `NOTIFY workers_jobs`, and schedules
 * fire once per tick through `workers_schedule_ticks`; `enqueueOnce` keeps
 * its keys in `workers_once_keys`; a job reaching a watched state is
 * recorded in `workers_state_events`, in the statement that changes it,
 * for the pairs in `workers_watched_states`. Jobs can also be
 * enqueued inside the application's own transaction, with `pg` or Prisma.
 * Create the tables with `netscript db migrate`.
 *
 * @example
 * ```ts ignore
 * import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
 *
 * const queue = createPostgresJobQueue(); // DATABASE_URL
 * await queue.enqueue({ name: "send-email", input: { to: "a@example.com" }, uniqueKey: "welcome:42" });
 * console.log(await queue.stats());
 * await queue.close();
 * ```
 *
 * @module
 */
export { enqueueInTransaction } from "./enqueue_in_transaction.ts";
export {
  createPostgresJobQueue,
  type CreatePostgresJobQueueOptions,
  PostgresJobQueue,
} from "./postgres_queue.ts";
export type { PgQueryable, PrismaRawQueryable, SqlExecutor } from "@netscript/store/postgres";
