/**
 * The queue's SQL. Every time comes from the database clock (`now()`), so
 * workers on machines whose clocks disagree still agree on leases and
 * run times. Times are stored with millisecond precision; defaults are
 * truncated to the millisecond so a job enqueued "now" is never a fraction
 * of a millisecond in the future.
 *
 * @module
 */
import type { JobState, WatchableJobState } from "../../ports/job_queue.ts";

/** The `LISTEN`/`NOTIFY` channel that says a job may have become runnable. */
export const CHANNEL = "workers_jobs";

/**
 * The first key of the advisory locks that serialise a job kind's limited
 * claims ("NSWK"), so they never collide with an application's own
 * single-key advisory locks.
 */
const KIND_LOCK_SPACE = 0x4e53574b;

/** The state a caller sees: a queued job whose run_at is in the future is scheduled. */
const REPORTED_STATE =
  "CASE WHEN state = 'queued' AND run_at > now() THEN 'scheduled' ELSE state END";

/** A job row's columns, as {@linkcode JobRow} names them. */
const COLUMNS = `id::text AS id, name, input, ${REPORTED_STATE} AS state, priority, run_at,
  attempts, max_attempts, unique_key, last_error, traceparent, lease_owner, lease_expires_at,
  created_at, updated_at, finished_at`;

/** A job is held by a worker while running under its name. */
const HELD = "id = $1 AND state = 'running' AND lease_owner = $2";

/** Clears the lease and the deduplication key of a job that ends. */
const SETTLE = `unique_key = NULL, lease_owner = NULL, lease_expires_at = NULL,
  updated_at = now(), finished_at = now()`;

/** The columns an update of jobs returns as `changed`, for its state event. */
const CHANGED = "id, name, last_error";

/**
 * The CTE that records, in the statement that changed the jobs (`changed`),
 * a state event for each job whose `(name, state)` is watched. While nothing
 * is watched it costs one probe of `workers_watched_states`'s empty primary
 * key per changed job, and writes nothing. The error is the attempt's error
 * of a `failed` or `dead` job, `NULL` otherwise.
 */
function _recorded(state: WatchableJobState): string {
  const error = state === "failed" || state === "dead" ? "c.last_error" : "NULL";
  return `recorded AS (
  INSERT INTO workers_state_events (name, job_id, state, error, at)
  SELECT c.name, c.id, '${state}', ${error}, now() FROM changed c
  WHERE EXISTS (
    SELECT 1 FROM workers_watched_states w WHERE w.name = c.name AND w.state = '${state}'
  )
)`;
}

/**
 * Wraps an update of one job to count the rows it changed (`changed`),
 * recording the state event of `state` when it is watched.
 */
function _counted(update: string, state: WatchableJobState): string {
  return `WITH changed AS (${update} RETURNING ${CHANGED}),
${_recorded(state)}
SELECT count(*)::int AS changed FROM changed`;
}

/**
 * Wraps an update of one job to count the rows it changed, and notifies (on
 * commit) when the job is runnable now; with a `state`, it also records the
 * state event of `state` when it is watched.
 */
function _notifying(update: string, state?: WatchableJobState): string {
  const recorded = state === undefined ? "" : `${_recorded(state)},\n`;
  const returned = state === undefined ? "run_at" : `${CHANGED}, run_at`;
  return `WITH changed AS (${update} RETURNING ${returned}),
${recorded}notified AS MATERIALIZED (
  SELECT pg_notify('${CHANNEL}', '') FROM changed WHERE run_at <= now() LIMIT 1
)
SELECT count(*)::int AS changed FROM changed LEFT JOIN notified ON true`;
}

/**
 * One source of claimable jobs, walked in claim order on
 * `workers_jobs_claim_idx`. The name is compared as an expression so the
 * planner never combines that walk with the name index, which on a table
 * without statistics yet (right after a bulk enqueue) means sorting every row.
 */
function _candidates(where: string, limit: string): string {
  return `(SELECT id, priority, run_at, seq FROM workers_jobs
    WHERE ${where} AND (name || '') = ANY($1::text[])
    ORDER BY priority DESC, run_at, seq
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED)`;
}

/**
 * `$1` names, `$2` limit, `$3` worker, `$4` lease in ms. Each state is its
 * own ordered scan of the claim index (an `OR` across states would make
 * Postgres read and sort the whole table), merged and cut to the limit.
 *
 * The claim commits without waiting for its WAL record to reach the disk
 * (`synchronous_commit` off for this transaction only), so a job starts
 * one disk flush sooner. Only a crash of PostgreSQL itself in the moment
 * after a claim can undo it; the job is then claimed and run again, as
 * after a worker crash. Enqueues and outcomes still wait for the disk, and
 * an outcome's flush also makes its claim durable.
 */
export const CLAIM = _claim("$2");

/**
 * Serialises the claims of one job kind with a `kindLimit` (`$1` the name)
 * until the transaction ends. It is a statement of its own: the claim that
 * follows then counts the running jobs with a snapshot taken after the
 * previous holder committed.
 */
export const LOCK_KIND = `SELECT pg_advisory_xact_lock(${KIND_LOCK_SPACE}, hashtext($1))`;

/**
 * {@linkcode CLAIM} for one name (`$1` holds it) with `$5` the kind's
 * limit: at most `$5` minus the jobs of that name running under a live
 * lease. Run after {@linkcode LOCK_KIND}, in its transaction. The running
 * jobs are counted on the claim index, not the name index, which would
 * also walk every finished job of that name.
 */
export const CLAIM_KIND = _claim(
  `(SELECT room FROM kind_room)`,
  `kind_room AS (
  SELECT GREATEST(LEAST($2::int, $5::int - count(*)::int), 0) AS room FROM workers_jobs
  WHERE state = 'running' AND lease_expires_at > now() AND (name || '') = ANY($1::text[])
),`,
);

/** The claim statement, taking at most `limit` jobs, after the CTEs in `before`. */
function _claim(limit: string, before = ""): string {
  return `WITH ${before}relaxed AS MATERIALIZED (
  SELECT set_config('synchronous_commit', 'off', true) AS setting
),
queued AS ${_candidates("state = 'queued' AND run_at <= now()", limit)},
failed AS ${_candidates("state = 'failed' AND run_at <= now()", limit)},
expired AS ${_candidates("state = 'running' AND lease_expires_at <= now()", limit)},
chosen AS (
  SELECT id FROM (
    SELECT * FROM queued UNION ALL SELECT * FROM failed UNION ALL SELECT * FROM expired
  ) candidates
  ORDER BY priority DESC, run_at, seq LIMIT ${limit}
), claimed AS (
  UPDATE workers_jobs SET state = 'running', attempts = attempts + 1, lease_owner = $3,
    lease_expires_at = now() + $4::double precision * interval '1 millisecond', updated_at = now()
  WHERE id IN (SELECT id FROM chosen)
  RETURNING *
)
SELECT ${COLUMNS} FROM claimed CROSS JOIN relaxed ORDER BY priority DESC, run_at, seq`;
}

/** `$1` worker, `$2` ids, `$3` lease in ms. */
export const HEARTBEAT = `UPDATE workers_jobs
SET lease_expires_at = now() + $3::double precision * interval '1 millisecond'
WHERE id = ANY($2::uuid[]) AND state = 'running' AND lease_owner = $1
RETURNING id::text AS id`;

/**
 * `$1` ids, `$2` worker: completes the jobs the worker holds, returning
 * their ids, and records the events of those whose completion is watched.
 * A single `complete` is this with one id.
 */
export const COMPLETE_MANY = `WITH changed AS (
  UPDATE workers_jobs SET state = 'completed', ${SETTLE}
  WHERE id = ANY($1::uuid[]) AND state = 'running' AND lease_owner = $2
  RETURNING ${CHANGED}
),
${_recorded("completed")}
SELECT id::text AS id FROM changed`;

/** `$1` id, `$2` worker, `$3` error. */
export const FAIL_DEAD = _counted(
  `UPDATE workers_jobs SET state = 'dead', last_error = $3, ${SETTLE}
WHERE ${HELD}`,
  "dead",
);

/** `$1` id, `$2` worker, `$3` error, `$4` retry time. */
export const FAIL_RETRY = _notifying(
  `UPDATE workers_jobs
SET state = 'failed', last_error = $3, run_at = $4, lease_owner = NULL,
  lease_expires_at = NULL, updated_at = now()
WHERE ${HELD}`,
  "failed",
);

/** `$1` id, `$2` worker. The attempt is given back. */
export const RELEASE = _notifying(`UPDATE workers_jobs
SET state = CASE WHEN last_error IS NULL THEN 'queued' ELSE 'failed' END,
  attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
WHERE ${HELD}`);

/** `$1` id. */
export const CANCEL = _counted(
  `UPDATE workers_jobs SET state = 'cancelled', ${SETTLE}
WHERE id = $1 AND state IN ('queued', 'failed')`,
  "cancelled",
);

/** `$1` id. */
export const RETRY = _notifying(`UPDATE workers_jobs
SET state = 'queued', attempts = 0, run_at = date_trunc('milliseconds', now()),
  finished_at = NULL, updated_at = now()
WHERE id = $1 AND state IN ('failed', 'dead', 'cancelled')`);

/** `$1` id. */
export const GET = `SELECT ${COLUMNS} FROM workers_jobs WHERE id = $1`;

/** Counts by reported state. */
export const STATS =
  `SELECT ${REPORTED_STATE} AS state, count(*)::int AS count FROM workers_jobs GROUP BY 1`;

/** `$1` schedule, `$2` tick. Returns a row only for the caller that moved the tick forward. */
export const CLAIM_TICK = `INSERT INTO workers_schedule_ticks (schedule, last_tick) VALUES ($1, $2)
ON CONFLICT (schedule) DO UPDATE SET last_tick = EXCLUDED.last_tick
WHERE workers_schedule_ticks.last_tick < EXCLUDED.last_tick
RETURNING schedule`;

/** `$1` schedule. */
export const LAST_TICK = "SELECT last_tick FROM workers_schedule_ticks WHERE schedule = $1";

/**
 * One page of jobs, newest first, with the total; the page may be empty
 * while the total is not, so the total comes on a row of its own.
 *
 * @param filters The state and name to match, when given.
 * @returns The statement and its parameters (`limit` and `offset` go last).
 */
export function listSql(
  filters: { state?: JobState | undefined; name?: string | undefined },
): { text: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filters.state === "scheduled") where.push("state = 'queued' AND run_at > now()");
  else if (filters.state === "queued") where.push("state = 'queued' AND run_at <= now()");
  else if (filters.state !== undefined) where.push(`state = $${values.push(filters.state)}`);
  if (filters.name !== undefined) where.push(`name = $${values.push(filters.name)}`);
  const limit = `$${values.length + 1}`;
  const offset = `$${values.length + 2}`;
  const text = `WITH matching AS (
  SELECT * FROM workers_jobs ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
), page AS (
  SELECT ${COLUMNS}, seq FROM matching ORDER BY seq DESC LIMIT ${limit} OFFSET ${offset}
)
SELECT total.count AS total, page.*
FROM (SELECT count(*)::int AS count FROM matching) total LEFT JOIN page ON true
ORDER BY page.seq DESC`;
  return { text, values };
}
