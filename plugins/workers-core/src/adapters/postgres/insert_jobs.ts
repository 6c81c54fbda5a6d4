/**
 * The enqueue statement, shared by the queue and transactional enqueue.
 *
 * @module
 */
import { type Enqueued, jobNumbers, type NewJob } from "../../ports/job_queue.ts";
import type { SqlRunner } from "@netscript/store/postgres";
import { CHANNEL } from "./job_sql.ts";

/** One job as the statement's JSON parameter carries it. */
export interface JobParameter {
  ord: number;
  id: string;
  name: string;
  input: unknown;
  priority: number;
  run_at: string | null;
  max_attempts: number;
  unique_key: string | null;
  traceparent: string | null;
}

/**
 * Inserts the jobs in one statement. A job whose `unique_key` is taken is
 * answered with the job holding it: one inserted earlier in the same batch
 * (`twin`), or one already in the table (`existing`). A key held by a row
 * that another transaction committed after this statement began is not
 * visible here, so that job comes back with a null id and is sent again.
 * Notifies listeners (on commit) when a job is runnable now.
 */
const INSERT_JOBS = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
    ord int, id uuid, name text, input jsonb, priority int, run_at timestamptz,
    max_attempts int, unique_key text, traceparent text)
), inserted AS (
  INSERT INTO workers_jobs (id, name, input, state, priority, run_at, attempts, max_attempts,
    unique_key, traceparent, created_at, updated_at)
  SELECT id, name, coalesce(input, 'null'::jsonb), 'queued', priority,
    coalesce(run_at, date_trunc('milliseconds', now())), 0, max_attempts, unique_key,
    traceparent, now(), now()
  FROM input ORDER BY ord
  ON CONFLICT (unique_key) DO NOTHING
  RETURNING id, unique_key, run_at
), notified AS MATERIALIZED (
  SELECT pg_notify('${CHANNEL}', '') FROM inserted WHERE run_at <= now() LIMIT 1
)
SELECT i.ord, coalesce(ins.id, twin.id, existing.id)::text AS id, ins.id IS NULL AS deduplicated
FROM input i
LEFT JOIN inserted ins ON ins.id = i.id
LEFT JOIN inserted twin ON ins.id IS NULL AND twin.unique_key = i.unique_key
LEFT JOIN workers_jobs existing ON ins.id IS NULL AND existing.unique_key = i.unique_key
LEFT JOIN notified ON true
ORDER BY i.ord`;

/**
 * Inserts jobs through an executor, in order, deduplicating by `uniqueKey`.
 * Jobs whose key holder could not be read (it committed after the statement
 * began, and may have finished since) are sent again until each is either
 * inserted or matched; each round sees the latest committed rows, so this
 * ends as soon as the conflicting job stops changing between two statements.
 *
 * @param run Runs the statements where the jobs go.
 * @param jobs The jobs.
 * @returns One result per job, in order.
 * @throws {RangeError} When a priority or attempt count is not an integer, or
 * a `runAt` is an invalid date.
 */
export async function insertJobs(
  run: SqlRunner,
  jobs: readonly NewJob[],
): Promise<Enqueued[]> {
  const results: Enqueued[] = [];
  let todo = jobs.map(jobParameter);
  while (todo.length > 0) {
    const rows = await run<{ ord: number; id: string | null; deduplicated: boolean }>(
      INSERT_JOBS,
      [JSON.stringify(todo)],
    );
    const unresolved = new Set<number>();
    for (const row of rows) {
      if (row.id === null) unresolved.add(row.ord);
      else results[row.ord] = { id: row.id, deduplicated: row.deduplicated };
    }
    todo = todo.filter((job) => unresolved.has(job.ord));
  }
  return results;
}

/**
 * A job as the enqueue statements' JSON parameter carries it, with a new id.
 *
 * @param job The job.
 * @param ord Its place in the batch.
 * @returns The parameter.
 * @throws {RangeError} When the job is not valid ({@linkcode jobNumbers}).
 */
export function jobParameter(job: NewJob, ord: number): JobParameter {
  const { priority, maxAttempts } = jobNumbers(job);
  return {
    ord,
    id: crypto.randomUUID(),
    name: job.name,
    input: job.input,
    priority,
    run_at: job.runAt?.toISOString() ?? null,
    max_attempts: maxAttempts,
    unique_key: job.uniqueKey ?? null,
    traceparent: job.traceparent ?? null,
  };
}
