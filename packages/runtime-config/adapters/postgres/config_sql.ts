/**
 * The SQL of the PostgreSQL config store. Its table lives in its own schema,
 * `netscript`, so the application's Prisma migrations (which manage
 * `public`) never see it.
 *
 * @module
 */

/** The channel writes notify, with the topic's name as the payload. */
export const CHANNEL = "netscript_config";

/** Whether the table exists (creating it needs the right to create a schema). */
export const TABLE_EXISTS_SQL = "SELECT to_regclass('netscript.config_topics') IS NOT NULL AS ok";

/** Creates the schema and table; run in a transaction holding {@linkcode SETUP_LOCK_SQL}. */
export const CREATE_SQL: readonly string[] = [
  "CREATE SCHEMA IF NOT EXISTS netscript",
  `CREATE TABLE IF NOT EXISTS netscript.config_topics (
    topic text PRIMARY KEY,
    value jsonb NOT NULL,
    revision bigint NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
];

/** Serialises concurrent setups of the `netscript` schema in one database. */
export const SETUP_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('netscript.schema'))";

/** Reads one topic: `$1` the topic. */
export const READ_SQL =
  "SELECT topic, value, revision, updated_at FROM netscript.config_topics WHERE topic = $1";

const RETURNING = "RETURNING t.topic, t.value, t.revision, t.updated_at";
const NOTIFY =
  `SELECT topic, value, revision, updated_at, pg_notify('${CHANNEL}', topic) FROM written`;

/** Writes whatever the revision: `$1` topic, `$2` JSON text. */
export const WRITE_SQL = `WITH written AS (
  INSERT INTO netscript.config_topics AS t (topic, value, revision, updated_at)
  VALUES ($1, $2::jsonb, 1, clock_timestamp())
  ON CONFLICT (topic) DO UPDATE
    SET value = excluded.value, revision = t.revision + 1, updated_at = clock_timestamp()
  ${RETURNING}
) ${NOTIFY}`;

/** Writes only if nothing is stored: `$1` topic, `$2` JSON text. */
export const CREATE_VALUE_SQL = `WITH written AS (
  INSERT INTO netscript.config_topics AS t (topic, value, revision, updated_at)
  VALUES ($1, $2::jsonb, 1, clock_timestamp())
  ON CONFLICT (topic) DO NOTHING
  ${RETURNING}
) ${NOTIFY}`;

/** Writes only at the expected revision: `$1` topic, `$2` JSON text, `$3` the revision. */
export const UPDATE_AT_REVISION_SQL = `WITH written AS (
  UPDATE netscript.config_topics AS t
    SET value = $2::jsonb, revision = t.revision + 1, updated_at = clock_timestamp()
  WHERE t.topic = $1 AND t.revision = $3
  ${RETURNING}
) ${NOTIFY}`;
