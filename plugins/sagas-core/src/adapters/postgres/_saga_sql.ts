/**
 * The saga store's SQL. Every time comes from the database clock
 * (`now()`), so processes whose clocks disagree still agree on leases and
 * run times; times are kept to the millisecond. Values are text columns,
 * so JSON text reads back exactly as it was written.
 *
 * @module
 */

/** The `LISTEN`/`NOTIFY` channel that says a saga may have become runnable. */
export const CHANNEL = "sagas_runs";

/** Now, to the millisecond, as the columns keep it. */
const NOW = "date_trunc('milliseconds', now())";

/** The states a saga never leaves on its own, as an SQL list. */
const FINISHED = "('completed', 'compensated', 'failed', 'cancelled')";

/** A saga row's columns, as `SagaRow` names them. */
const COLUMNS = [
  "id",
  "name",
  "version",
  "input",
  "state",
  "output",
  "error",
  "cancel_requested",
  "parent_id",
  "run_at",
  "lease_owner",
  "lease_expires_at",
  "traceparent",
  "created_at",
  "updated_at",
  "finished_at",
].join(", ");

/** A time as milliseconds since the epoch, for JSON built in SQL. */
function _ms(column: string): string {
  return `(extract(epoch FROM ${column}) * 1000)::bigint`;
}

/** The journal of the saga `r`, as a JSON array by seq (`EntryJson`). */
const ENTRIES = `(SELECT COALESCE(json_agg(json_build_object(
    'seq', e.seq, 'kind', e.kind, 'name', e.name, 'state', e.state, 'result', e.result,
    'error', e.error, 'attempts', e.attempts, 'compensates', e.compensates,
    'wakeAt', ${_ms("e.wake_at")}, 'startedAt', ${_ms("e.started_at")},
    'updatedAt', ${_ms("e.updated_at")}) ORDER BY e.seq), '[]'::json)
  FROM sagas_entries e WHERE e.saga_id = r.id) AS entries`;

/** The untaken signals of the saga `r`, as a JSON array oldest first (`SignalJson`). */
const SIGNALS = `(SELECT COALESCE(json_agg(json_build_object(
    'id', s.id, 'name', s.name, 'payload', s.payload,
    'receivedAt', ${_ms("s.received_at")}) ORDER BY s.seq), '[]'::json)
  FROM sagas_signals s WHERE s.saga_id = r.id) AS signals`;

/** Sends a wake-up (on commit) for each row of the CTE `source`. */
function _notify(source: string, where = "true"): string {
  return `notified AS MATERIALIZED (SELECT pg_notify('${CHANNEL}', '') FROM ${source} WHERE ${where})`;
}

/** The insert of `START`: nothing when the id is taken. */
const INSERT_SAGA = `INSERT INTO sagas_runs (id, name, version, input, state, parent_id, run_at,
    traceparent, lease_owner, lease_expires_at, created_at, updated_at)
  VALUES ($1, $2, $3, $4, 'running', $5, ${NOW}, $6, $7::text,
    CASE WHEN $7::text IS NOT NULL THEN ${NOW} + $8::int * interval '1 millisecond' END, ${NOW}, ${NOW})
  ON CONFLICT (id) DO NOTHING
  RETURNING ${COLUMNS}`;

/**
 * The answer of a start: the new saga with `created`, else the one with
 * the id; `also` joins the CTEs the answer must wait for.
 */
function _started(also = ""): string {
  return `SELECT true AS created, inserted.* FROM inserted${also}
UNION ALL
SELECT false, ${COLUMNS} FROM sagas_runs WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`;
}

/**
 * `$1` id, `$2` name, `$3` version, `$4` input, `$5` parentId, `$6`
 * traceparent, `$7` the lease's owner or null, `$8` its length in ms.
 * The insert, which does nothing when the id is taken, and
 * the saga with `created`. It sends no wake-up: `NOTIFY` inside a write
 * holds PostgreSQL's notification lock until the commit is flushed, so
 * concurrent starts could not share a flush; the store sends one
 * {@linkcode NOTIFY} after the commit for all the starts of that moment.
 * A row inserted by a racing statement that committed after this one
 * started is not visible to it: then no row comes back, and the caller
 * runs it again.
 */
export const START = `WITH inserted AS (${INSERT_SAGA})
${_started()}`;

/**
 * `START` with its wake-up sent on commit, for a start inside the
 * caller's transaction: runners are told when that transaction commits.
 */
export const START_NOTIFYING = `WITH inserted AS (${INSERT_SAGA}),
${_notify("inserted")}
${_started(" LEFT JOIN notified ON true")}`;

/**
 * A wake-up for the runners, sent on its own. `NOTIFY` gives its
 * transaction an id, so its commit would wait for a WAL flush; a lost
 * wake-up costs only a poll, so this one commits without waiting.
 */
export const NOTIFY =
  `SELECT set_config('synchronous_commit', 'off', true), pg_notify('${CHANNEL}', '')`;

/**
 * `$1` names, `$2` limit, `$3` owner, `$4` lease in ms: leases the sagas
 * with the oldest `run_at` that has come, of the names, not finished and
 * not leased (or leased by a lease that ran out), skipping rows another
 * statement has locked; a waiting one becomes running. Each comes with its
 * journal and its untaken signals.
 */
export const CLAIM = `WITH picked AS (
  SELECT id FROM sagas_runs
  WHERE run_at <= now() AND name = ANY($1::text[])
    AND state IN ('running', 'compensating', 'waiting')
    AND (lease_expires_at IS NULL OR lease_expires_at <= now())
  ORDER BY run_at, id COLLATE "C"
  LIMIT $2
  FOR UPDATE SKIP LOCKED
),
claimed AS (
  UPDATE sagas_runs r SET state = CASE WHEN r.state = 'waiting' THEN 'running' ELSE r.state END,
    lease_owner = $3, lease_expires_at = ${NOW} + $4 * interval '1 millisecond',
    signalled = false, updated_at = ${NOW}
  FROM picked WHERE r.id = picked.id
  RETURNING r.*
)
SELECT r.*, ${ENTRIES}, ${SIGNALS} FROM claimed r ORDER BY r.run_at, r.id COLLATE "C"`;

/** The state event of a commit that moved the saga (`moved`) to a watched state. */
const RECORDED = `
recorded AS (
  INSERT INTO sagas_state_events (name, saga_id, state, error, at)
  SELECT moved.name, moved.id, moved.state,
    CASE WHEN moved.state = 'completed' THEN NULL ELSE moved.error END, ${NOW}
  FROM moved
  WHERE EXISTS (SELECT 1 FROM sagas_watched_states w
    WHERE w.name = moved.name AND w.state = moved.state)
),`;

/**
 * `$1` id, `$2` owner, `$3` entries (a JSON array of `EntryWriteJson`),
 * `$4` the signal to take or null, `$5` the new state or null, `$6`
 * whether to set the output to `$7`, `$8` whether to set the error to
 * `$9`, `$10` whether to release to `$11` (a runAt or null).
 *
 * One statement, so one round trip and one transaction: it locks the saga
 * row when `$2` holds it (`lock`), checks the signal is the saga's
 * (`go`: empty when either fails), and every write joins `go`, so nothing
 * is written unless both hold. A finished state clears the lease and
 * `run_at` and sets `finished_at`; a release clears the lease and sets
 * `run_at`, waking waiters (on commit) when it has one. The one row back
 * says whether the lease was held, whether the signal was the saga's, and
 * whether a cancel was asked for.
 *
 * This form is for a commit without a state (`$5` null, most commits: a
 * step's entry); {@linkcode COMMIT_STATE} is for one that moves the saga.
 */
export const COMMIT: string = _commit(false);

/**
 * {@linkcode COMMIT} for a commit that moves the saga to state `$5`: when
 * `sagas_watched_states` lists that state for the saga's name, it also
 * records a state event (`recorded`), so the event commits exactly when
 * the saga's change does; while nothing is watched it reads an empty
 * table.
 */
export const COMMIT_STATE: string = _commit(true);

/** The commit statement, recording the state event when `recording`. */
function _commit(recording: boolean): string {
  return `WITH lock AS MATERIALIZED (
  SELECT id, cancel_requested, COALESCE($5::text, state) AS next_state,
    COALESCE($5::text, state) IN ${FINISHED} AS finishing
  FROM sagas_runs WHERE id = $1 AND lease_owner = $2
  FOR UPDATE
),
go AS MATERIALIZED (
  SELECT lock.* FROM lock
  WHERE $4::text IS NULL
    OR EXISTS (SELECT 1 FROM sagas_signals WHERE id = $4::text AND saga_id = lock.id)
),
taken AS (
  DELETE FROM sagas_signals s USING go WHERE s.id = $4::text AND s.saga_id = go.id
),
written AS (
  INSERT INTO sagas_entries (saga_id, seq, kind, name, state, result, error, attempts,
    compensates, wake_at, started_at, updated_at)
  SELECT go.id, e.seq, e.kind, e.name, e.state, e.result, e.error, e.attempts, e.compensates,
    e."wakeAt", ${NOW}, ${NOW}
  FROM go, json_to_recordset($3::json) AS e(seq int, kind text, name text, state text,
    result text, error text, attempts int, compensates int, "wakeAt" timestamptz)
  ON CONFLICT (saga_id, seq) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
    state = EXCLUDED.state, result = EXCLUDED.result, error = EXCLUDED.error,
    attempts = EXCLUDED.attempts, compensates = EXCLUDED.compensates,
    wake_at = EXCLUDED.wake_at, updated_at = EXCLUDED.updated_at
),
moved AS (
  UPDATE sagas_runs r SET state = go.next_state,
    output = CASE WHEN $6::boolean THEN $7::text ELSE r.output END,
    error = CASE WHEN $8::boolean THEN $9::text ELSE r.error END,
    run_at = CASE WHEN go.finishing THEN NULL
      WHEN $10::boolean AND go.next_state = 'waiting' AND (r.signalled OR r.cancel_requested)
        THEN ${NOW}
      WHEN $10::boolean THEN $11::timestamptz
      ELSE r.run_at END,
    lease_owner = CASE WHEN go.finishing OR $10::boolean THEN NULL ELSE r.lease_owner END,
    lease_expires_at = CASE WHEN go.finishing OR $10::boolean THEN NULL
      ELSE r.lease_expires_at END,
    finished_at = CASE WHEN go.finishing THEN ${NOW} ELSE r.finished_at END,
    updated_at = ${NOW}
  FROM go WHERE r.id = go.id
  RETURNING ${recording ? "r.id, r.name, r.state, r.error, r.run_at" : "r.run_at"}
),${recording ? RECORDED : ""}
${_notify("moved", "$10::boolean AND run_at IS NOT NULL")}
SELECT EXISTS (SELECT 1 FROM lock) AS held, EXISTS (SELECT 1 FROM go) AS applied,
  COALESCE((SELECT cancel_requested FROM lock), false) AS cancel_requested,
  (SELECT count(*) FROM notified) AS notified`;
}

/** `$1` owner, `$2` ids, `$3` lease in ms: extends the leases `$1` holds. */
export const HEARTBEAT = `UPDATE sagas_runs
  SET lease_expires_at = ${NOW} + $3 * interval '1 millisecond'
  WHERE id = ANY($2::text[]) AND lease_owner = $1
  RETURNING id, cancel_requested`;

/** `$1` id: the saga and its journal. */
export const GET = `SELECT r.*, ${ENTRIES} FROM sagas_runs r WHERE r.id = $1`;

/**
 * `$1` state or null, `$2` name or null, `$3` limit, `$4` offset: the
 * page, newest first, each row with the total; one row with only the
 * total when the page is empty.
 */
export const LIST = `WITH matching AS (
  SELECT ${COLUMNS} FROM sagas_runs
  WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR name = $2)
)
SELECT total.total, page.* FROM (SELECT count(*)::int AS total FROM matching) total
LEFT JOIN LATERAL (
  SELECT * FROM matching ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT $3 OFFSET $4
) page ON true
ORDER BY page.created_at DESC, page.id COLLATE "C" DESC`;

/** Counts by state. */
export const STATS = "SELECT state, count(*)::int AS count FROM sagas_runs GROUP BY state";

/**
 * Runs `change` (an `UPDATE sagas_runs … WHERE … RETURNING` of the saga
 * `$1`) with a wake-up on commit when it changed the saga, and returns the
 * saga: changed, or as it was when `change` did not apply.
 */
function _changeOrRead(change: string): string {
  return `WITH changed AS (${change} RETURNING ${COLUMNS}),
${_notify("changed")}
SELECT changed.* FROM changed LEFT JOIN notified ON true
UNION ALL
SELECT ${COLUMNS} FROM sagas_runs WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM changed)`;
}

/** `$1` id: asks an unfinished saga to cancel; a waiting one becomes running, runnable now. */
export const CANCEL = _changeOrRead(`UPDATE sagas_runs SET cancel_requested = true,
    state = CASE WHEN state = 'waiting' THEN 'running' ELSE state END,
    run_at = CASE WHEN state = 'waiting' THEN ${NOW} ELSE run_at END,
    updated_at = ${NOW}
  WHERE id = $1 AND state NOT IN ${FINISHED}`);

/** `$1` id: a failed saga becomes running, runnable now, with its error cleared. */
export const RETRY = _changeOrRead(`UPDATE sagas_runs SET state = 'running', run_at = ${NOW},
    error = NULL, finished_at = NULL, updated_at = ${NOW}
  WHERE id = $1 AND state = 'failed'`);

/**
 * `$1` saga id, `$2` signal id, `$3` name, `$4` payload: keeps the signal
 * when the saga has not finished (its row is locked meanwhile, so a
 * finishing commit cannot slip between), and makes a waiting saga
 * running, runnable now.
 */
export const SIGNAL = `WITH saga AS (
  UPDATE sagas_runs SET state = CASE WHEN state = 'waiting' THEN 'running' ELSE state END,
    run_at = CASE WHEN state = 'waiting' THEN ${NOW} ELSE run_at END,
    updated_at = CASE WHEN state = 'waiting' THEN ${NOW} ELSE updated_at END,
    signalled = true
  WHERE id = $1 AND state NOT IN ${FINISHED}
  RETURNING id
),
kept AS (
  INSERT INTO sagas_signals (id, saga_id, name, payload, received_at)
  SELECT $2, saga.id, $3, $4, ${NOW} FROM saga
  RETURNING id, name, payload, received_at
),
${_notify("kept")}
SELECT kept.* FROM kept LEFT JOIN notified ON true`;
