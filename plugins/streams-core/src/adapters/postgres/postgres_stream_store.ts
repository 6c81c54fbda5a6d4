/**
 * The PostgreSQL stream store.
 *
 * @module
 */
import type { Pool } from "pg";
import { resolveDatabaseUrl } from "@netscript/db";
import { classifyStoreError, type StoreErrorOptions } from "@netscript/store";
import {
  createPostgresListener,
  inTransaction,
  preparedRunner,
  type SqlRunner,
  storePool,
} from "@netscript/store/postgres";
import { createLogger, type Logger } from "@netscript/telemetry";
import type {
  ReadChunksOptions,
  StreamChunk,
  StreamRecord,
  StreamStore,
  StreamSummary,
  StreamWrite,
} from "../../ports/stream_store.ts";
import { ChangeWaiters } from "./_change_waiters.ts";
import { type ChunkRow, putValues, type StreamRow, toChunk, toRecord } from "./_stream_row.ts";
import { STREAM_STATEMENTS } from "./_sql_runner.ts";
import * as sql from "./_stream_sql.ts";

/** Options of {@linkcode createPostgresStreamStore}. */
export interface CreatePostgresStreamStoreOptions {
  /**
   * The database URL; the store opens a pool of its own (connection
   * attempts time out after 10 s) and ends it on `close()`.
   * @default {`DATABASE_URL`, else Aspire's `DB_URI`, unless `pool` is given}
   */
  url?: string | undefined;
  /** A pool to use instead of a URL; the store never ends it. */
  pool?: Pool | undefined;
  /**
   * The most connections a pool the store opens may hold, besides the one
   * `LISTEN` connection.
   * @default {10}
   */
  maxConnections?: number | undefined;
  /**
   * Where the store reports failures in the background (its `LISTEN`
   * connection dropping, an idle pooled connection failing).
   * @default {a JSON logger for the service "streams"}
   */
  logger?: Logger | undefined;
}

/** The channel every commit notifies, with the stream's path as payload. */
const CHANNEL = "streams_changes";

/** How many chunks one read statement fetches at most. */
const READ_BATCH = 1_000;

/** How the store is named in store errors. */
const STREAM_STORE: Readonly<Omit<StoreErrorOptions, "driver" | "target">> = {
  dependency: "stream store",
  label: "the streams store",
  tables: "streams tables",
};

/** The counts a write statement returns. */
interface Written {
  written: number;
}

class PostgresStreamStore implements StreamStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #target: string;
  readonly #run: SqlRunner;
  readonly #waiters: ChangeWaiters;
  #closed = false;

  constructor(options: CreatePostgresStreamStoreOptions) {
    const logger = options.logger ?? createLogger({ service: "streams" });
    const { pool, ownsPool, target } = storePool({
      url: options.url,
      pool: options.pool,
      maxConnections: options.maxConnections,
      defaultUrl: () => resolveDatabaseUrl("postgres"),
      store: "the streams store",
      creator: "createPostgresStreamStore",
      onIdleError: (error) => {
        if (this.#closed) return; // a connection the closing pool was ending anyway
        logger.warn("an idle streams store connection failed", { error: this.#classify(error) });
      },
    });
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#target = target;
    this.#run = preparedRunner(this.#pool, STREAM_STATEMENTS);
    this.#waiters = new ChangeWaiters((onNotification) =>
      createPostgresListener({
        config: this.#pool.options,
        channels: [CHANNEL],
        name: "streams listener",
        applicationName: "netscript-streams-listener",
        logger,
        store: STREAM_STORE,
        onNotification,
      })
    );
  }

  async get(path: string): Promise<StreamRecord | undefined> {
    const [row] = await this.#rows<StreamRow>(sql.GET, [path]);
    return row === undefined ? undefined : toRecord(row);
  }

  /**
   * {@inheritDoc StreamStore.commit}
   *
   * A commit of one stream is one statement; a commit of several runs
   * their statements in one transaction, in path order, so two commits
   * never wait for each other's locks in a circle.
   */
  async commit(writes: readonly StreamWrite[]): Promise<boolean> {
    if (writes.length === 0) return true;
    if (writes.length === 1) return await this.#guard(() => this.#write(this.#run, writes[0]!));
    const ordered = [...writes].sort((a, b) => {
      const [x, y] = [_pathOf(a), _pathOf(b)];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return await this.#transaction(async (run) => {
      for (const write of ordered) {
        if (!await this.#write(run, write)) return false;
      }
      return true;
    });
  }

  async readChunks(path: string, from: number, options: ReadChunksOptions): Promise<StreamChunk[]> {
    const chunks: StreamChunk[] = [];
    let budget = Math.min(options.maxBytes, Number.MAX_SAFE_INTEGER);
    for (let at = from, first = true;; first = false) {
      const rows = await this.#rows<ChunkRow>(sql.READ_CHUNKS, [
        path,
        at,
        budget,
        READ_BATCH,
        first,
      ]);
      for (const row of rows) {
        chunks.push(toChunk(row));
        budget -= row.data.byteLength;
      }
      if (rows.length < READ_BATCH || budget <= 0) return chunks;
      at = chunks.at(-1)!.end;
    }
  }

  async dropChunks(path: string, before: number): Promise<number> {
    const [row] = await this.#rows<{ dropped: number }>(sql.DROP_CHUNKS, [path, before]);
    return row!.dropped;
  }

  async touch(path: string, at: number): Promise<void> {
    await this.#rows(sql.TOUCH, [path, at]);
  }

  /**
   * {@inheritDoc StreamStore.waitForChange}
   *
   * Commits notify the `streams_changes` channel with the stream's path, so
   * a waiter wakes within milliseconds of a commit in any process. The
   * store's first wait opens its `LISTEN` connection and wakes every
   * waiter once listening, as does a reconnection.
   */
  waitForChange(
    path: string,
    version: number,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    const changed = async () => {
      const [row] = await this.#rows<{ version: number }>(sql.VERSION, [path]);
      return row?.version !== version;
    };
    return this.#waiters.wait(path, changed, options);
  }

  async list(
    options: { prefix?: string; after?: string; limit: number },
  ): Promise<StreamSummary[]> {
    const values = [options.prefix ?? null, options.after ?? null, options.limit];
    const rows = await this.#rows<StreamRow & { bytes: number; chunks: number }>(sql.LIST, values);
    return rows.map((row) => ({ record: toRecord(row), bytes: row.bytes, chunks: row.chunks }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#waiters.close();
    if (this.#ownsPool) await this.#pool.end();
  }

  /** Runs one write's statement; resolves with whether its version check held. */
  async #write(run: SqlRunner, write: StreamWrite): Promise<boolean> {
    let rows: Written[];
    if (write.kind === "delete") {
      rows = await run<Written>(sql.DELETE, [write.path, write.expectedVersion, CHANNEL]);
    } else {
      const values = putValues(write, CHANNEL);
      rows = write.expectedVersion === null
        ? await run<Written>(sql.CREATE, values)
        : await run<Written>(sql.UPDATE, [...values, write.expectedVersion]);
    }
    return rows[0]!.written === 1;
  }

  /** Runs `body` in a transaction: committed when it resolves `true`, rolled back otherwise. */
  #transaction(body: (run: SqlRunner) => Promise<boolean>): Promise<boolean> {
    return this.#guard(() =>
      inTransaction(this.#pool, body, { ...STREAM_STATEMENTS, commit: (committed) => committed })
    );
  }

  #rows<TRow>(text: string, values: readonly unknown[]): Promise<TRow[]> {
    return this.#guard(() => this.#run<TRow>(text, values));
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#classify(error);
    }
  }

  #classify(error: unknown): unknown {
    return classifyStoreError(error, { ...STREAM_STORE, driver: "postgres", target: this.#target });
  }
}

/**
 * Creates the PostgreSQL stream store, on the `streams_streams` and
 * `streams_chunks` tables (created by `netscript db migrate` from the
 * streams plugin's schema fragment, `streams.prisma`). Any number of
 * processes can share the tables: commits check versions in the
 * database, and a commit in one process wakes the waiters of every other
 * through `NOTIFY streams_changes`. A commit of one stream is one
 * statement and one round trip. Nothing connects until the first call.
 *
 * @param options A URL (the store owns its pool) or a pool (the caller owns it).
 * @returns The store; call `close()` when done.
 * @throws {TypeError} When both `url` and `pool` are given (the promise rejects).
 * @throws {NetScriptError} `DB_URL_NOT_FOUND` when neither is given and no
 * variable is set; `STORE_INVALID` for a URL that does not parse (its
 * password left out).
 *
 * @example
 * ```ts ignore
 * import { createPostgresStreamStore } from "@netscript/plugin-streams-core/postgres";
 *
 * const store = await createPostgresStreamStore({ url: "postgresql://postgres@127.0.0.1:5432/app" });
 * console.log(await store.list({ prefix: "/v1/stream/", limit: 10 }));
 * await store.close();
 * ```
 */
export function createPostgresStreamStore(
  options: CreatePostgresStreamStoreOptions = {},
): Promise<StreamStore> {
  return Promise.resolve().then(() => new PostgresStreamStore(options));
}

function _pathOf(write: StreamWrite): string {
  return write.kind === "delete" ? write.path : write.record.path;
}
