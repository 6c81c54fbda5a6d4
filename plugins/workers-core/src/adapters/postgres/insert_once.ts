/**
 * The statement of `enqueueOnce`: a job added at most once per once-key.
 *
 * @module
 */
import type { Enqueued, NewJob } from "../../ports/job_queue.ts";
import type { SqlRunner } from "@netscript/store/postgres";
import { jobParameter } from "./insert_jobs.ts";
import { CHANNEL } from "./job_sql.ts";

/**
 * Records the once-key `$1` and adds the job `$2` in one statement, or
 * answers with the job the key was recorded for. The key is recorded
 * first (a concurrent statement recording it waits for this one, then
 * records nothing), and the job is inserted only when its own id was
 * recorded; when an unfinished job holds the job's `unique_key`, the key is
 * recorded for that job instead and nothing is inserted. A key or a
 * `unique_key` that another transaction committed after this statement
 * began is not visible here: the key then comes back with a null id, and a
 * `unique_key` makes the insert fail on its unique index, undoing the
 * whole statement; either way it is sent again. Notifies listeners (on
 * commit) when the new job is runnable now.
 */
const INSERT_ONCE = `
WITH job AS (
  SELECT * FROM jsonb_to_record($2::jsonb) AS t(
    id uuid, name text, input jsonb, priority int, run_at timestamptz,
    max_attempts int, unique_key text, traceparent text)
), recorded AS (
  SELECT job_id FROM workers_once_keys WHERE key = $1
), holder AS (
  SELECT w.id FROM workers_jobs w JOIN job ON w.unique_key = job.unique_key
), once AS (
  INSERT INTO workers_once_keys (key, job_id, created_at)
  SELECT $1, coalesce((SELECT id FROM holder), job.id), now() FROM job
  WHERE NOT EXISTS (SELECT FROM recorded)
  ON CONFLICT (key) DO NOTHING
  RETURNING job_id
), inserted AS (
  INSERT INTO workers_jobs (id, name, input, state, priority, run_at, attempts, max_attempts,
    unique_key, traceparent, created_at, updated_at)
  SELECT job.id, job.name, coalesce(job.input, 'null'::jsonb), 'queued', job.priority,
    coalesce(job.run_at, date_trunc('milliseconds', now())), 0, job.max_attempts,
    job.unique_key, job.traceparent, now(), now()
  FROM job JOIN once ON once.job_id = job.id
  RETURNING id, run_at
), notified AS MATERIALIZED (
  SELECT pg_notify('${CHANNEL}', '') FROM inserted WHERE run_at <= now()
)
SELECT coalesce((SELECT job_id FROM recorded), (SELECT job_id FROM once))::text AS id,
  NOT EXISTS (SELECT FROM inserted) AS deduplicated
FROM (VALUES (1)) AS one LEFT JOIN notified ON true`;

/** PostgreSQL's `unique_violation`. */
const UNIQUE_VIOLATION = "23505";

/**
 * Adds a job at most once per once-key, through an executor that commits
 * each statement on its own (a failed statement must not abort the
 * caller's transaction). Sends the statement again while a concurrent
 * enqueue that committed after it began hides the answer; each round sees
 * the latest committed rows, so this ends once that enqueue is visible.
 *
 * @param run Runs the statements, each in its own transaction.
 * @param key The once-key, already checked.
 * @param job The job.
 * @returns The job, `deduplicated` unless this call added it.
 * @throws {RangeError} When the job is not valid; nothing is written then.
 */
export async function insertOnce(run: SqlRunner, key: string, job: NewJob): Promise<Enqueued> {
  for (;;) {
    let rows: { id: string | null; deduplicated: boolean }[];
    try {
      rows = await run(INSERT_ONCE, [key, JSON.stringify(jobParameter(job, 0))]);
    } catch (error) {
      if (_isUniqueKeyTaken(error)) continue;
      throw error;
    }
    const [row] = rows;
    if (row?.id) return { id: row.id, deduplicated: row.deduplicated };
  }
}

/** Whether the job's insert failed because a job committed since holds its `unique_key`. */
function _isUniqueKeyTaken(error: unknown): boolean {
  const { code, table } = (error ?? {}) as { code?: unknown; table?: unknown };
  return code === UNIQUE_VIOLATION && table === "workers_jobs";
}
