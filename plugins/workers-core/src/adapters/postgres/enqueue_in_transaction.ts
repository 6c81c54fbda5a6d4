/**
 * Enqueueing inside the caller's own transaction, so a job exists exactly
 * when the data it is about commits (the transactional outbox, without the
 * outbox).
 *
 * @module
 */
import { classifyStoreError } from "@netscript/store";
import type { Enqueued, NewJob } from "../../ports/job_queue.ts";
import { JOB_STORE } from "../job_store_names.ts";
import { insertJobs } from "./insert_jobs.ts";
import { executorRunner, type SqlExecutor } from "@netscript/store/postgres";

const TARGET = "the database of the given transaction";

/**
 * Enqueues one job on a connection inside the caller's transaction: the
 * job is invisible to workers until the transaction commits, and gone if
 * it rolls back. Workers are notified on commit. A `uniqueKey` held by a
 * job that another transaction has not committed yet makes this wait for
 * that transaction, as any unique index does.
 *
 * @param executor A `pg` client on which the caller ran `BEGIN`, or a
 * Prisma interactive-transaction client (`tx` in `db.$transaction(async (tx) => …)`).
 * @param job The job.
 * @returns Its id, or the unfinished job with the same `uniqueKey`.
 * @throws {NetScriptError} `SCHEMA_MISSING` when the workers tables are missing.
 *
 * @example With `pg`
 * ```ts ignore
 * import pg from "pg";
 * import { enqueueInTransaction } from "@netscript/plugin-workers-core/postgres";
 *
 * const pool = new pg.Pool({ connectionString: Deno.env.get("DATABASE_URL") });
 * const client = await pool.connect();
 * await client.query("BEGIN");
 * await client.query("INSERT INTO orders (id) VALUES ($1)", ["o1"]);
 * await enqueueInTransaction(client, { name: "send-receipt", input: { orderId: "o1" } });
 * await client.query("COMMIT");
 * client.release();
 * ```
 *
 * @example With Prisma
 * ```ts ignore
 * import { db } from "@db";
 * import { enqueueInTransaction } from "@netscript/plugin-workers-core/postgres";
 *
 * await db.$transaction(async (tx) => {
 *   const order = await tx.order.create({ data: { total: 42 } });
 *   await enqueueInTransaction(tx, { name: "send-receipt", input: { orderId: order.id } });
 * });
 * ```
 */
export function enqueueInTransaction(executor: SqlExecutor, job: NewJob): Promise<Enqueued>;
/**
 * Enqueues several jobs on a connection inside the caller's transaction.
 *
 * @param executor A `pg` client on which the caller ran `BEGIN`, or a
 * Prisma interactive-transaction client.
 * @param jobs The jobs.
 * @returns One result per job, in order.
 * @throws {NetScriptError} `SCHEMA_MISSING` when the workers tables are missing.
 */
export function enqueueInTransaction(
  executor: SqlExecutor,
  jobs: readonly NewJob[],
): Promise<Enqueued[]>;
export async function enqueueInTransaction(
  executor: SqlExecutor,
  jobs: NewJob | readonly NewJob[],
): Promise<Enqueued | Enqueued[]> {
  const list = _isList(jobs) ? jobs : [jobs];
  let enqueued: Enqueued[];
  try {
    enqueued = list.length === 0 ? [] : await insertJobs(executorRunner(executor), list);
  } catch (error) {
    throw classifyStoreError(error, { ...JOB_STORE, driver: "postgres", target: TARGET });
  }
  return _isList(jobs) ? enqueued : enqueued[0]!;
}

function _isList(jobs: NewJob | readonly NewJob[]): jobs is readonly NewJob[] {
  return Array.isArray(jobs);
}
