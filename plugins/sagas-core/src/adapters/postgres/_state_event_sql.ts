/**
 * The saga store's state-event SQL: the watched pairs in
 * `sagas_watched_states`, the events in `sagas_state_events` (recorded by
 * the commit statement in `_saga_sql.ts`), an event's id being its `seq`
 * as text.
 *
 * @module
 */
import type { WatchedState } from "@netscript/store";

/**
 * The first statement of `watchStates`' transaction. Every commit
 * statement reads the watched pairs, so it holds the table's lowest lock
 * until it commits; this lock waits for those in flight, and a commit that
 * arrives meanwhile takes its snapshot only once `watchStates` has
 * committed. So every commit that ends after `watchStates` resolves sees
 * the new pairs.
 */
export const LOCK_WATCHED = "LOCK TABLE sagas_watched_states IN ACCESS EXCLUSIVE MODE";

/** Removes every watched pair. */
export const UNWATCH_ALL = "DELETE FROM sagas_watched_states";

/** `$1` names, `$2` states, pairwise (see {@linkcode watchValues}): watches the pairs, each once. */
export const WATCH = `INSERT INTO sagas_watched_states (name, state)
  SELECT DISTINCT w.name, w.state FROM unnest($1::text[], $2::text[]) AS w(name, state)`;

/** `$1` limit: the oldest events, as `StateEvent`s. */
export const READ_EVENTS = `SELECT seq::text AS id, name, saga_id AS subject, state, error, at
  FROM sagas_state_events ORDER BY seq LIMIT $1`;

/** `$1` seqs: removes those events. */
export const REMOVE_EVENTS = "DELETE FROM sagas_state_events WHERE seq = ANY($1::bigint[])";

/**
 * The parameters of {@linkcode WATCH}: the pairs' names and states,
 * leaving out a pair with a NUL character, which PostgreSQL's text cannot
 * hold and so no saga has.
 *
 * @param watched The pairs.
 * @returns The names and the states, pairwise.
 */
export function watchValues(watched: readonly WatchedState[]): [string[], string[]] {
  const pairs = watched.filter(({ name, state }) => !`${name}${state}`.includes("\0"));
  return [pairs.map(({ name }) => name), pairs.map(({ state }) => state)];
}

/** The largest `bigint`, the last `seq` there can be. */
const MAX_SEQ = 9223372036854775807n;

/**
 * The ids that can name an event, as the seqs they are: `seq` as text,
 * with no sign, no leading zero and no more than a `bigint` holds. The
 * others name no event, so removing them is nothing to do.
 *
 * @param ids Event ids.
 * @returns The seqs among them, as text.
 */
export function eventSeqs(ids: readonly string[]): string[] {
  return ids.filter((id) => /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= MAX_SEQ);
}
