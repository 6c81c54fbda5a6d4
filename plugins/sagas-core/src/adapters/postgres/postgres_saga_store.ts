/**
 * The PostgreSQL saga store.
 *
 * @module
 */
import type { Pool } from "pg";
import { resolveDatabaseUrl } from "@netscript/db";
import {
  checkStateEventLimit,
  classifyStoreError,
  createTimeOrderedId,
  type StateEvent,
  type WakeListener,
  type WatchedState,
} from "@netscript/store";
import {
  createPostgresListener,
  inTransaction,
  preparedRunner,
  type SqlRunner,
  storePool,
} from "@netscript/store/postgres";
import { createLogger, type Logger } from "@netscript/telemetry";
import {
  type ClaimedSaga,
  type ClaimSagasOptions,
  type CommitOutcome,
  type HeartbeatOutcome,
  type ListSagasOptions,
  type NewSaga,
  SAGA_STATES,
  type SagaCommit,
  type SagaDetail,
  type SagaPage,
  type SagaRecord,
  type SagaSignal,
  type SagaState,
  type SagaStats,
  type SagaStore,
  type StartedSaga,
} from "../../ports/saga_store.ts";
import {
  entriesJson,
  type EntryJson,
  type SagaRow,
  type SignalJson,
  toSagaEntry,
  toSagaRecord,
  toSagaSignal,
} from "./_saga_row.ts";
import * as sql from "./_saga_sql.ts";
import { SAGA_STORE } from "./_saga_store_names.ts";
import * as eventSql from "./_state_event_sql.ts";

/** Options of {@linkcode createPostgresSagaStore}. */
export interface CreatePostgresSagaStoreOptions {
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
   * @default {a JSON logger for the service "sagas"}
   */
  logger?: Logger | undefined;
}

/** How the store's statements are prepared: their name prefix. */
const STATEMENTS = { prefix: "sagas" };

/** A row of the journal's and signals' queries. */
type _WithJournal = SagaRow & { entries: EntryJson[] };

/**
 * The saga store on `sagas_runs`, `sagas_entries` and `sagas_signals`,
 * with its state events in `sagas_watched_states` and `sagas_state_events`.
 */
class PostgresSagaStore implements SagaStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #target: string;
  readonly #listener: WakeListener;
  readonly #run: SqlRunner;
  readonly #logger: Logger;
  #sendingWake: Promise<void> | null = null;
  #queuedWake: Promise<void> | null = null;
  #closed = false;

  constructor(options: CreatePostgresSagaStoreOptions) {
    const logger = options.logger ?? createLogger({ service: "sagas" });
    this.#logger = logger;
    const { pool, ownsPool, target } = storePool({
      url: options.url,
      pool: options.pool,
      maxConnections: options.maxConnections,
      defaultUrl: () => resolveDatabaseUrl("postgres"),
      store: SAGA_STORE.label!,
      creator: "createPostgresSagaStore",
      onIdleError: (error) =>
        logger.warn("an idle sagas store connection failed", { error: this.#classify(error) }),
    });
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#target = target;
    this.#run = preparedRunner(this.#pool, STATEMENTS);
    this.#listener = createPostgresListener({
      config: this.#pool.options,
      channels: [sql.CHANNEL],
      name: "sagas listener",
      applicationName: "netscript-sagas-listener",
      logger,
      store: SAGA_STORE,
    });
  }

  async start(saga: NewSaga): Promise<StartedSaga> {
    const values = [
      saga.id,
      saga.name,
      saga.version,
      saga.input,
      saga.parentId ?? null,
      saga.traceparent ?? null,
      saga.lease?.owner ?? null,
      saga.lease?.leaseMs ?? null,
    ];
    for (;;) {
      const [row] = await this.#rows<SagaRow & { created: boolean }>(sql.START, values);
      if (row === undefined) continue;
      if (row.created && saga.lease === undefined) await this.#announce();
      return { saga: toSagaRecord(row), created: row.created };
    }
  }

  /**
   * Wakes the runners after a start committed: one `NOTIFY` at a time, and
   * the starts that commit while one is on its way share the next. A
   * failed wake-up is logged; runners still find the saga at their next poll.
   */
  #announce(): Promise<void> {
    if (this.#queuedWake !== null) return this.#queuedWake;
    const sending = this.#sendingWake;
    if (sending === null) return this.#sendWake();
    const queued = sending.then(() => {
      this.#queuedWake = null;
      return this.#sendWake();
    });
    this.#queuedWake = queued;
    return queued;
  }

  #sendWake(): Promise<void> {
    const sending: Promise<void> = this.#rows(sql.NOTIFY, []).then(
      () => {},
      (error: unknown) => this.#logger.warn("a sagas wake-up failed", { error }),
    ).finally(() => {
      if (this.#sendingWake === sending) this.#sendingWake = null;
    });
    this.#sendingWake = sending;
    return sending;
  }

  async claim(options: ClaimSagasOptions): Promise<ClaimedSaga[]> {
    if (options.limit <= 0 || options.names.length === 0) return [];
    const rows = await this.#rows<_WithJournal & { signals: SignalJson[] }>(sql.CLAIM, [
      options.names,
      options.limit,
      options.owner,
      options.leaseMs,
    ]);
    return rows.map((row) => ({
      saga: toSagaRecord(row),
      entries: row.entries.map(toSagaEntry),
      signals: row.signals.map(toSagaSignal),
    }));
  }

  async commit(id: string, owner: string, commit: SagaCommit): Promise<CommitOutcome> {
    const progress = commit.progress ?? {};
    const [row] = await this.#rows<{ held: boolean; applied: boolean; cancel_requested: boolean }>(
      progress.state === undefined ? sql.COMMIT : sql.COMMIT_STATE,
      [
        id,
        owner,
        entriesJson(commit.entries ?? []),
        commit.takeSignal ?? null,
        progress.state ?? null,
        progress.output !== undefined,
        progress.output ?? null,
        progress.error !== undefined,
        progress.error ?? null,
        progress.release !== undefined,
        progress.release?.runAt ?? null,
      ],
    );
    if (row!.held && !row!.applied) {
      throw new RangeError(
        `Cannot take signal "${commit.takeSignal}": saga "${id}" has no such signal; nothing was written`,
      );
    }
    return { held: row!.held, cancelRequested: row!.cancel_requested };
  }

  async heartbeat(
    owner: string,
    ids: readonly string[],
    leaseMs: number,
  ): Promise<HeartbeatOutcome> {
    if (ids.length === 0) return { held: [], cancelRequested: [] };
    const rows = await this.#rows<{ id: string; cancel_requested: boolean }>(sql.HEARTBEAT, [
      owner,
      ids,
      leaseMs,
    ]);
    return {
      held: rows.map(({ id }) => id),
      cancelRequested: rows.filter((row) => row.cancel_requested).map(({ id }) => id),
    };
  }

  async get(id: string): Promise<SagaDetail | null> {
    const [row] = await this.#rows<_WithJournal>(sql.GET, [id]);
    return row === undefined
      ? null
      : { saga: toSagaRecord(row), entries: row.entries.map(toSagaEntry) };
  }

  async list(options: ListSagasOptions = {}): Promise<SagaPage> {
    const rows = await this.#rows<SagaRow & { total: number }>(sql.LIST, [
      options.state ?? null,
      options.name ?? null,
      options.limit ?? 50,
      options.offset ?? 0,
    ]);
    return {
      items: rows.filter((row) => row.id !== null).map(toSagaRecord),
      total: rows[0]?.total ?? 0,
    };
  }

  async stats(): Promise<SagaStats> {
    const counts = Object.fromEntries(SAGA_STATES.map((state) => [state, 0])) as Record<
      SagaState,
      number
    >;
    for (const row of await this.#rows<{ state: SagaState; count: number }>(sql.STATS, [])) {
      counts[row.state] = row.count;
    }
    return counts;
  }

  cancel(id: string): Promise<SagaRecord | null> {
    return this.#one(sql.CANCEL, id);
  }

  async signal(id: string, name: string, payload: string | null): Promise<SagaSignal | null> {
    const [row] = await this.#rows<{
      id: string;
      name: string;
      payload: string | null;
      received_at: Date;
    }>(sql.SIGNAL, [id, createTimeOrderedId(Date.now()), name, payload]);
    return row === undefined
      ? null
      : { id: row.id, name: row.name, payload: row.payload, receivedAt: row.received_at };
  }

  retry(id: string): Promise<SagaRecord | null> {
    return this.#one(sql.RETRY, id);
  }

  /**
   * Replaces the pairs in one transaction that first locks the table, so
   * commits already under way finish before it and the ones after see the
   * new pairs.
   */
  async watchStates(watched: readonly WatchedState[]): Promise<void> {
    try {
      await inTransaction(this.#pool, async (run) => {
        await run(eventSql.LOCK_WATCHED, []);
        await run(eventSql.UNWATCH_ALL, []);
        await run(eventSql.WATCH, eventSql.watchValues(watched));
      }, STATEMENTS);
    } catch (error) {
      throw this.#classify(error);
    }
  }

  /** @throws {RangeError} When `limit` is not a positive integer. */
  async readStateEvents(limit: number): Promise<StateEvent[]> {
    checkStateEventLimit(limit);
    return await this.#rows<StateEvent>(eventSql.READ_EVENTS, [limit]);
  }

  async removeStateEvents(ids: readonly string[]): Promise<void> {
    const seqs = eventSql.eventSeqs(ids);
    if (seqs.length > 0) await this.#rows(eventSql.REMOVE_EVENTS, [seqs]);
  }

  /**
   * The first wait opens the store's `LISTEN` connection and returns once
   * it listens, as does the first wait after that connection drops: sagas
   * may have become runnable while nobody listened.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#listener.wait(timeoutMs, signal);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener.close();
    if (this.#ownsPool) await this.#pool.end();
  }

  async #one(text: string, id: string): Promise<SagaRecord | null> {
    const [row] = await this.#rows<SagaRow>(text, [id]);
    return row === undefined ? null : toSagaRecord(row);
  }

  async #rows<TRow>(text: string, values: readonly unknown[]): Promise<TRow[]> {
    try {
      return await this.#run<TRow>(text, values);
    } catch (error) {
      throw this.#classify(error);
    }
  }

  #classify(error: unknown): unknown {
    return classifyStoreError(error, { ...SAGA_STORE, driver: "postgres", target: this.#target });
  }
}

/**
 * Creates the production saga store, on PostgreSQL's `sagas_runs`,
 * `sagas_entries`, `sagas_signals`, `sagas_watched_states` and
 * `sagas_state_events` tables (created by `netscript db migrate` from the
 * sagas plugin's schema fragment). A commit, the one write a saga step
 * costs, is one statement and so one transaction: it locks the saga row
 * while the runner holds its lease, writes the entries, takes the signal,
 * moves the saga and records a state event when its new state is watched,
 * or writes nothing. A claim is one statement too (`FOR UPDATE SKIP
 * LOCKED`, so any number of runners share the table without running a saga
 * twice) and brings each saga's journal and signals along. Releases, signals, cancels and retries send
 * `NOTIFY sagas_runs` on commit, and starts one wake-up after their
 * commits (shared by the starts of that moment, so concurrent starts do
 * not queue on PostgreSQL's notification lock), which wakes `waitForWork`
 * in every process at once. A start leased to its runner sends none. Every time comes from the database clock. Connects
 * lazily: nothing opens until the first call.
 *
 * @param options A URL (the store owns its pool) or a pool (the caller owns it), the pool size and a logger.
 * @returns The store; call `close()` when done.
 * @throws {TypeError} When both `url` and `pool` are given.
 * @throws {NetScriptError} `DB_URL_NOT_FOUND` when neither is given and no
 * variable is set; `STORE_INVALID` when the URL does not parse. Its methods
 * throw `STORE_UNAVAILABLE` when the server cannot be reached and
 * `SCHEMA_MISSING` when the tables are missing.
 *
 * @example
 * ```ts ignore
 * import { createPostgresSagaStore } from "@netscript/plugin-sagas-core/postgres";
 *
 * const store = createPostgresSagaStore({ url: "postgresql://postgres@127.0.0.1:5432/app" });
 * await store.start({ id: "order-1", name: "checkout", version: 1, input: '{"order":1}' });
 * console.log(await store.stats());
 * await store.close();
 * ```
 */
export function createPostgresSagaStore(
  options: CreatePostgresSagaStoreOptions = {},
): SagaStore {
  return new PostgresSagaStore(options);
}
