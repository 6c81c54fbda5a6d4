/**
 * A `workers_jobs` row as `pg` returns it, and its {@linkcode JobRecord}.
 *
 * @module
 */
import type { JobRecord, JobState } from "../../ports/job_queue.ts";

/** A row selected with the queue's job columns (`timestamptz` parsed to `Date`, `jsonb` to JSON). */
export interface JobRow {
  id: string;
  name: string;
  input: unknown;
  state: JobState;
  priority: number;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  unique_key: string | null;
  last_error: string | null;
  traceparent: string | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/**
 * Converts a row to the port's record.
 *
 * @param row The row.
 * @returns The record.
 */
export function toJobRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    name: row.name,
    input: row.input,
    state: row.state,
    priority: row.priority,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    uniqueKey: row.unique_key,
    lastError: row.last_error,
    traceparent: row.traceparent,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
