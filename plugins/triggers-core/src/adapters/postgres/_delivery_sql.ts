/**
 * The delivery store's SQL. Every time comes from the database clock
 * (`now()`), so processes whose clocks disagree still agree on leases and
 * run times; times are kept to the millisecond.
 *
 * @module
 */

/** The `LISTEN`/`NOTIFY` channel that says a delivery may have become claimable. */
export const CHANNEL = "triggers_deliveries";

/** Now, to the millisecond, as the columns keep it. */
const NOW = "date_trunc('milliseconds', now())";

/** A delivery row's columns but its id, as `DeliveryRow` names them. */
const FIELDS = [
  "trigger",
  "source",
  "key",
  "payload",
  "headers",
  "state",
  "attempts",
  "error",
  "target",
  "replay_of",
  "traceparent",
  "run_at",
  "lease_owner",
  "lease_expires_at",
  "received_at",
  "updated_at",
  "settled_at",
];

/** A delivery row's columns, read through `alias`. */
function _columns(alias = ""): string {
  return [`${alias}id::text AS id`, ...FIELDS.map((field) => `${alias}${field}`)].join(", ");
}

const COLUMNS = _columns();

/**
 * Records a batch of deliveries, each parameter an array with one element
 * per delivery: `$1` ids, `$2` triggers, `$3` sources, `$4` keys, `$5`
 * payloads and `$6` headers (JSON text), `$7` states, `$8` errors, `$9`
 * replayOfs, `$10` traceparents, `$11` cursors, `$12` runAts (`null` for
 * now). No two deliveries of a batch share a trigger and a key. One
 * statement: the inserts, in batch order, each doing nothing when the
 * trigger already has the key; each trigger's cursor moved forward to the
 * greatest cursor among its inserted deliveries; one notification (sent on
 * commit) when a pending delivery was inserted. It returns, per delivery
 * by its 1-based position `n`, the new row or the first delivery with the
 * key. A row inserted by a racing statement that committed after this one
 * started is not visible to it: then no row comes back for that position,
 * and the caller writes that delivery again.
 */
export const RECORD = `WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
    WITH ORDINALITY AS i(id, trigger, source, key, payload, headers, state, error, replay_of,
      traceparent, cursor, run_at, n)
),
inserted AS (
  INSERT INTO triggers_deliveries (id, trigger, source, key, payload, headers, state, error,
    replay_of, traceparent, run_at, received_at, updated_at, settled_at)
  SELECT id, trigger, source, key, payload::jsonb, headers::jsonb, state, error, replay_of,
    traceparent, COALESCE(run_at, ${NOW}), ${NOW}, ${NOW},
    CASE WHEN state = 'rejected' THEN ${NOW} END
  FROM input ORDER BY n
  ON CONFLICT (trigger, key) DO NOTHING
  RETURNING id, state
),
moved AS (
  INSERT INTO triggers_cursors AS c (trigger, value, updated_at)
  SELECT input.trigger, max(input.cursor COLLATE "C"), ${NOW}
  FROM input JOIN inserted USING (id) WHERE input.cursor IS NOT NULL GROUP BY input.trigger
  ON CONFLICT (trigger) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
    WHERE EXCLUDED.value COLLATE "C" > c.value COLLATE "C"
),
notified AS MATERIALIZED (
  SELECT pg_notify('${CHANNEL}', '')
  WHERE EXISTS (SELECT 1 FROM inserted WHERE state = 'pending')
)
SELECT input.n::int AS n, inserted.id::text AS id, inserted.state, false AS duplicate
  FROM input JOIN inserted USING (id) LEFT JOIN notified ON true
UNION ALL
SELECT input.n::int, d.id::text, d.state, true FROM input
  JOIN triggers_deliveries d ON d.trigger = input.trigger AND d.key = input.key
  WHERE NOT EXISTS (SELECT 1 FROM inserted WHERE inserted.id = input.id)`;

/**
 * `$1` limit, `$2` owner, `$3` lease in ms: takes the oldest claimable
 * deliveries (pending, due, and held by nobody or by a lease that ran
 * out), skipping rows another claim has locked.
 */
export const CLAIM = `WITH picked AS (
  SELECT id FROM triggers_deliveries
  WHERE state = 'pending' AND run_at <= now()
    AND (lease_expires_at IS NULL OR lease_expires_at <= now())
  ORDER BY run_at, seq
  LIMIT $1
  FOR UPDATE SKIP LOCKED
),
claimed AS (
  UPDATE triggers_deliveries d SET attempts = d.attempts + 1, lease_owner = $2,
  lease_expires_at = ${NOW} + $3 * interval '1 millisecond', updated_at = ${NOW}
FROM picked WHERE d.id = picked.id
  RETURNING ${_columns("d.")}, d.seq
)
SELECT * FROM claimed ORDER BY run_at, seq`;

/** A delivery the owner (`$2`) holds, by id (`$1`). */
const HELD = "id = $1::uuid AND state = 'pending' AND lease_owner = $2";

/** Releases the lease of a delivery that is settled now. */
const SETTLED = `lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW},
  settled_at = ${NOW}`;

/** `$1` id, `$2` owner, `$3` target (JSON text). */
export const DISPATCHED = `UPDATE triggers_deliveries SET state = 'dispatched', error = NULL,
  target = $3::text::jsonb, ${SETTLED} WHERE ${HELD} RETURNING 1`;

/** `$1` id, `$2` owner. */
export const SKIPPED = `UPDATE triggers_deliveries SET state = 'skipped', error = NULL, ${SETTLED}
  WHERE ${HELD} RETURNING 1`;

/** `$1` id, `$2` owner, `$3` error. */
export const FAILED = `UPDATE triggers_deliveries SET state = 'failed', error = $3, ${SETTLED}
  WHERE ${HELD} RETURNING 1`;

/** `$1` id, `$2` owner, `$3` error, `$4` retryAt; notifies (on commit). */
export const RETRY = `WITH changed AS (
  UPDATE triggers_deliveries SET error = $3, run_at = $4, lease_owner = NULL,
    lease_expires_at = NULL, updated_at = ${NOW}
  WHERE ${HELD} RETURNING 1
),
notified AS MATERIALIZED (SELECT pg_notify('${CHANNEL}', '') FROM changed)
SELECT 1 FROM changed LEFT JOIN notified ON true`;

/** `$1` id. */
export const GET = `SELECT ${COLUMNS} FROM triggers_deliveries WHERE id = $1::uuid`;

/**
 * `$1` trigger or null, `$2` state or null, `$3` limit, `$4` offset: the
 * page, newest first, each row with the total; one row with only the
 * total when the page is empty.
 */
export const LIST = `WITH matching AS (
  SELECT * FROM triggers_deliveries
  WHERE ($1::text IS NULL OR trigger = $1) AND ($2::text IS NULL OR state = $2)
)
SELECT total.total, page.* FROM (SELECT count(*)::int AS total FROM matching) total
LEFT JOIN LATERAL (
  SELECT ${COLUMNS}, seq FROM matching ORDER BY seq DESC LIMIT $3 OFFSET $4
) page ON true
ORDER BY page.seq DESC`;

/** Counts by state. */
export const STATS = "SELECT state, count(*)::int AS count FROM triggers_deliveries GROUP BY state";

/** `$1` trigger. */
export const CURSOR = "SELECT value FROM triggers_cursors WHERE trigger = $1";

/** `$1` the cut: deletes settled deliveries recorded before it, counting them. */
export const PRUNE = `WITH pruned AS (
  DELETE FROM triggers_deliveries WHERE state <> 'pending' AND received_at < $1 RETURNING 1
)
SELECT count(*)::int AS pruned FROM pruned`;
