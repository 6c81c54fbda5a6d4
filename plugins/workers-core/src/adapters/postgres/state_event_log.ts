/**
 * The state events of the PostgreSQL job store: the watched pairs in
 * `workers_watched_states`, the events in `workers_state_events`. The
 * events themselves are written by the settle statements of `job_sql.ts`,
 * in the statement that changes the job.
 *
 * @module
 */
import { checkStateEventLimit, type StateEvent, type WatchedState } from "@netscript/store";
import type { SqlRunner } from "@netscript/store/postgres";
import { isStorableText } from "../../ports/job_limits.ts";

/**
 * `$1` names, `$2` states: makes the pairs the watched ones in one
 * statement. Pairs no longer given are deleted and new ones inserted;
 * pairs kept are left alone, so watching the same pairs again (every
 * watcher process does at start) writes nothing, and two watchers doing it
 * at once do not collide on the primary key.
 */
const WATCH_STATES = `WITH pairs AS (
  SELECT DISTINCT name, state FROM unnest($1::text[], $2::text[]) AS p(name, state)
), removed AS (
  DELETE FROM workers_watched_states w
  WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.name = w.name AND p.state = w.state)
)
INSERT INTO workers_watched_states (name, state) SELECT name, state FROM pairs
ON CONFLICT DO NOTHING`;

/** `$1` limit: the oldest events, by `seq`. */
const READ_EVENTS = `SELECT seq::text AS id, name, job_id::text AS subject, state, error, at
FROM workers_state_events ORDER BY seq LIMIT $1`;

/** `$1` the events' `seq`s. */
const REMOVE_EVENTS = "DELETE FROM workers_state_events WHERE seq = ANY($1::bigint[])";

/** An event id as `READ_EVENTS` writes a `seq`: a positive integer without leading zeros. */
const EVENT_ID = /^[1-9][0-9]{0,18}$/;

/** The largest `bigint`, the last `seq` PostgreSQL can give. */
const MAX_SEQ = 2n ** 63n - 1n;

/**
 * Replaces the watched pairs. A pair whose name or state holds a NUL
 * character or a lone surrogate is left out: no job can reach it, since
 * no store keeps such a name.
 *
 * @param run Runs the statement.
 * @param watched The pairs; duplicates count once.
 */
export async function replaceWatchedStates(
  run: SqlRunner,
  watched: readonly WatchedState[],
): Promise<void> {
  const pairs = watched.filter(({ name, state }) => isStorableText(name) && isStorableText(state));
  await run(WATCH_STATES, [pairs.map((pair) => pair.name), pairs.map((pair) => pair.state)]);
}

/**
 * The oldest events, by `seq`.
 *
 * @param run Runs the statement.
 * @param limit At most this many.
 * @returns The events, their ids the `seq` as text.
 * @throws {RangeError} When `limit` is not a positive integer.
 */
export async function selectStateEvents(run: SqlRunner, limit: number): Promise<StateEvent[]> {
  checkStateEventLimit(limit);
  return await run<StateEvent>(READ_EVENTS, [limit]);
}

/**
 * Deletes events by id. Ids that cannot be a `seq` are left out; unknown
 * ones delete nothing.
 *
 * @param run Runs the statement.
 * @param ids The events' ids.
 */
export async function deleteStateEvents(run: SqlRunner, ids: readonly string[]): Promise<void> {
  const seqs = ids.filter((id) => EVENT_ID.test(id) && BigInt(id) <= MAX_SEQ);
  if (seqs.length > 0) await run(REMOVE_EVENTS, [seqs]);
}
