/**
 * The Postgres stream store's statements, on the `streams_streams` and
 * `streams_chunks` tables of `streams.prisma`. Each write is one
 * statement: its version check, its record, its chunks (one `bytea` cut
 * into pieces by offsets) and its `pg_notify` are data-modifying CTEs,
 * so a single-stream commit costs one round trip.
 *
 * @module
 */

/** Milliseconds since the epoch of a `timestamptz` column. */
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** A `timestamptz` from milliseconds since the epoch. */
const at = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

/**
 * A notification's payload: the path, or nothing when the path is too long
 * for a payload (under 8000 bytes), which wakes every waiter.
 */
const PAYLOAD = `CASE WHEN octet_length(path) < 8000 THEN path ELSE '' END`;

/** The columns a record is read from. */
const RECORD_COLUMNS = `path, content_type, ${ms("created_at")} AS created_at,
  ${ms("accessed_at")} AS accessed_at, ttl_seconds::float8 AS ttl_seconds,
  ${ms("expires_at")} AS expires_at, closed, closed_by, soft_deleted, fork_source,
  fork_position::float8 AS fork_position, fork_count, tail::float8 AS tail,
  trimmed_to::float8 AS trimmed_to, last_seq, producers, version::float8 AS version`;

/**
 * The parameters of a put, in this order: $1 path, $2 content type,
 * $3 created, $4 accessed, $5 TTL, $6 expiry, $7 closed, $8 closed by
 * (JSON), $9 soft deleted, $10 fork source, $11 fork position, $12 fork
 * count, $13 tail, $14 trimmed to, $15 last seq, $16 producers (JSON),
 * $17 version, $18 the chunks' bytes, one after the other, $19 their
 * starts, $20 their ends, $21 where each begins in $18, $22 their byte
 * lengths, $23 their commit times, $24 the channel, $25 the expected
 * version (updates only).
 */
const CHUNKS = `inserted AS (
    INSERT INTO streams_chunks (path, start_position, end_position, data, committed_at)
    SELECT w.path, c.s, c.e, substring($18::bytea FROM c.o + 1 FOR c.n), ${at("c.t")}
    FROM written w, unnest($19::int8[], $20::int8[], $21::int4[], $22::int4[], $23::float8[])
      AS c(s, e, o, n, t)
  ), notified AS (SELECT pg_notify($24, ${PAYLOAD}) FROM written)
  SELECT (SELECT count(*) FROM written)::int AS written,
    (SELECT count(*) FROM notified)::int AS notified`;

/** Creates a stream with its chunks, unless the path is taken. */
export const CREATE = `WITH written AS (
    INSERT INTO streams_streams (path, content_type, created_at, accessed_at, ttl_seconds,
      expires_at, closed, closed_by, soft_deleted, fork_source, fork_position, fork_count, tail,
      trimmed_to, last_seq, producers, version, data_bytes, chunk_count)
    VALUES ($1, $2, ${at("$3")}, ${at("$4")}, $5, ${at("$6")}, $7, $8::jsonb, $9, $10, $11, $12,
      $13, $14, $15, $16::jsonb, $17, octet_length($18::bytea), cardinality($19::int8[]))
    ON CONFLICT (path) DO NOTHING
    RETURNING path
  ), ${CHUNKS}`;

/** Replaces a stream's record and appends its chunks, when it is at the expected version. */
export const UPDATE = `WITH written AS (
    UPDATE streams_streams SET content_type = $2, created_at = ${at("$3")},
      accessed_at = ${at("$4")}, ttl_seconds = $5, expires_at = ${at("$6")}, closed = $7,
      closed_by = $8::jsonb, soft_deleted = $9, fork_source = $10, fork_position = $11,
      fork_count = $12, tail = $13, trimmed_to = $14, last_seq = $15, producers = $16::jsonb,
      version = $17, data_bytes = data_bytes + octet_length($18::bytea),
      chunk_count = chunk_count + cardinality($19::int8[])
    WHERE path = $1 AND version = $25
    RETURNING path
  ), ${CHUNKS}`;

/** Removes a stream and its chunks, when it is at the expected version: $1 path, $2 version, $3 channel. */
export const DELETE = `WITH written AS (
    DELETE FROM streams_streams WHERE path = $1 AND version = $2 RETURNING path
  ), dropped AS (
    DELETE FROM streams_chunks c USING written w WHERE c.path = w.path
  ), notified AS (SELECT pg_notify($3, ${PAYLOAD}) FROM written)
  SELECT (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM notified)::int AS notified`;

/** A stream's record: $1 path. */
export const GET = `SELECT ${RECORD_COLUMNS} FROM streams_streams WHERE path = $1`;

/** A stream's version: $1 path. */
export const VERSION = `SELECT version::float8 AS version FROM streams_streams WHERE path = $1`;

/**
 * A batch of chunks ending after a position, in order, while their bytes
 * stay within a budget: $1 path, $2 from, $3 the budget, $4 the most
 * chunks, $5 whether the first chunk comes whatever its size.
 */
export const READ_CHUNKS = `SELECT start_position::float8 AS start, end_position::float8 AS "end",
    data, ${ms("committed_at")} AS committed_at
  FROM (
    SELECT c.*, row_number() OVER w AS n, sum(octet_length(c.data)) OVER w AS upto
    FROM (
      SELECT * FROM streams_chunks
      WHERE path = $1 AND end_position > $2 AND start_position >= coalesce(
        (SELECT max(start_position) FROM streams_chunks WHERE path = $1 AND start_position <= $2), 0)
      ORDER BY start_position
      LIMIT $4
    ) c
    WINDOW w AS (ORDER BY c.start_position ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ) batch
  WHERE upto <= $3 OR (n = 1 AND $5)
  ORDER BY start_position`;

/**
 * Drops a stream's chunks that end at or before a position and takes them
 * off its sizes: $1 path, $2 the position. The stream's row is locked
 * first, in the order commits lock it.
 */
export const DROP_CHUNKS = `WITH locked AS (
    SELECT path FROM streams_streams WHERE path = $1 FOR NO KEY UPDATE
  ), dropped AS (
    DELETE FROM streams_chunks
    WHERE path = (SELECT path FROM locked) AND end_position <= $2
    RETURNING octet_length(data) AS bytes
  ), sized AS (
    UPDATE streams_streams
    SET data_bytes = data_bytes - (SELECT coalesce(sum(bytes), 0) FROM dropped),
      chunk_count = chunk_count - (SELECT count(*) FROM dropped)
    WHERE path = $1
  )
  SELECT count(*)::int AS dropped FROM dropped`;

/**
 * Sets a stream's `accessed_at`: $1 path, $2 milliseconds. Reads touch
 * streams, so the statement does not wait for its commit to reach the
 * disk (`synchronous_commit` off for its own transaction): a crash may
 * lose the last touches, which only moves a sliding expiry earlier.
 */
export const TOUCH = `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
  UPDATE streams_streams SET accessed_at = ${at("$2")}
  WHERE path = $1 AND EXISTS (SELECT 1 FROM relaxed)`;

/**
 * Streams in byte order of their paths, with their sizes: $1 a prefix or
 * null, $2 a path to start after or null, $3 the most.
 */
export const LIST = `SELECT ${RECORD_COLUMNS}, data_bytes::float8 AS bytes, chunk_count AS chunks
  FROM streams_streams
  WHERE ($1::text IS NULL OR starts_with(path, $1)) AND ($2::text IS NULL OR path COLLATE "C" > $2)
  ORDER BY path COLLATE "C"
  LIMIT $3`;
