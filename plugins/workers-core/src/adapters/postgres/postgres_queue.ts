import type { Pool } from "pg";
import { resolveDatabaseUrl } from "@netscript/db";
import {
  createPostgresListener,
  inTransaction,
  preparedRunner,
  type PreparedRunnerOptions,
  type SqlRunner,
  storePool,
} from "@netscript/store/postgres";
import {
  classifyStoreError,
  type StateEvent,
  type WakeListener,
  type WatchedState,
} from "@netscript/store";
import { createLogger, type Logger } from "@netscript/telemetry";
import {
  checkKindLimit,
  checkOnceKey,
  type ClaimOptions,
  type Enqueued,
  JOB_STATES,
  type JobPage,
  type JobQueue,
  type JobRecord,
  type JobState,
  type JobStats,
  type ListOptions,
  type NewJob,
  type ScheduleStore,
} from "../../ports/job_queue.ts";
import { storableText } from "../../ports/job_limits.ts";
import { insertJobs } from "./insert_jobs.ts";
import { insertOnce } from "./insert_once.ts";
import { type JobRow, toJobRecord } from "./job_row.ts";
import * as sql from "./job_sql.ts";
import { deleteStateEvents, replaceWatchedStates, selectStateEvents } from "./state_event_log.ts";
import { JOB_STORE } from "../job_store_names.ts";

/** How the queue's own statements are prepared: their name prefix. */
const JOB_STATEMENTS: PreparedRunnerOptions = { prefix: "workers" };

/** Options of {@linkcode createPostgresJobQueue}. */
export interface CreatePostgresJobQueueOptions {
  /**
   * The database URL; the queue opens a pool of its own (connection attempts
   * time out after 10 s) and ends it on `close()`.
   * @default {`DATABASE_URL`, else Aspire's `DB_URI`, unless `pool` is given}
   */
  url?: string | undefined;
  /** A pool to use instead of a URL; the queue never ends it. */
  pool?: Pool | undefined;
  /**
   * The most connections a pool the queue opens may hold, besides the one
   * `LISTEN` connection.
   * @default {10}
   */
  maxConnections?: number | undefined;
  /**
   * Where the queue reports failures in the background (its `LISTEN`
   * connection dropping, an idle pooled connection failing).
   * @default {a JSON logger for the service "workers"}
   */
  logger?: Logger | undefined;
}

/** A batch this large refreshes the table's planner statistics. */
const ANALYZE_AFTER = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The production job queue and schedule store, on PostgreSQL's
 * `workers_jobs`, `workers_schedule_ticks` and `workers_once_keys` tables,
 * with its state events in `workers_watched_states` and
 * `workers_state_events` (created by `netscript db migrate` from the
 * workers plugin's schema fragment).
 * Claims use `FOR UPDATE SKIP LOCKED`, so any number of worker processes
 * share the queue without handing a job to two of them; `waitForWork`
 * wakes on `NOTIFY workers_jobs`. Every time comes from the database clock.
 *
 * @example
 * ```ts ignore
 * import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
 *
 * const queue = createPostgresJobQueue({ url: "postgresql://postgres@127.0.0.1:5432/app" });
 * const { id } = await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * const [job] = await queue.claim({ workerId: "w1", limit: 1, leaseMs: 30_000, names: ["send-email"] });
 * await queue.complete(job!.id, "w1");
 * await queue.close();
 * ```
 */
export class PostgresJobQueue implements JobQueue, ScheduleStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #target: string;
  readonly #listener: WakeListener;
  readonly #run: SqlRunner;
  #closed = false;

  /**
   * Connects lazily: nothing opens until the first call.
   *
   * @param options A URL or a pool, the pool size and a logger.
   * @throws {TypeError} When both `url` and `pool` are given.
   * @throws {NetScriptError} `DB_URL_NOT_FOUND` when neither is given and no variable is set;
   * `STORE_INVALID` when the URL does not parse.
   */
  constructor(options: CreatePostgresJobQueueOptions = {}) {
    const logger = options.logger ?? createLogger({ service: "workers" });
    const { pool, ownsPool, target } = storePool({
      url: options.url,
      pool: options.pool,
      maxConnections: options.maxConnections,
      defaultUrl: () => resolveDatabaseUrl("postgres"),
      store: "the workers job store",
      creator: "createPostgresJobQueue",
      onIdleError: (error) =>
        logger.warn("an idle workers store connection failed", { error: this.#classify(error) }),
    });
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#target = target;
    this.#run = preparedRunner(this.#pool, JOB_STATEMENTS);
    this.#listener = createPostgresListener({
      config: this.#pool.options,
      channels: [sql.CHANNEL],
      name: "workers listener",
      applicationName: "netscript-workers-listener",
      logger,
      store: JOB_STORE,
    });
  }

  /** {@inheritDoc JobQueue.enqueue} */
  async enqueue(job: NewJob): Promise<Enqueued> {
    const [enqueued] = await this.#guard(() => insertJobs(this.#run, [job]));
    return enqueued!;
  }

  /**
   * {@inheritDoc JobQueue.enqueueOnce}
   *
   * One statement records the key in `workers_once_keys` and inserts the
   * job; it is sent again only when a concurrent enqueue hid the answer.
   */
  async enqueueOnce(key: string, job: NewJob): Promise<Enqueued> {
    checkOnceKey(key);
    return await this.#guard(() => insertOnce(this.#run, key, job));
  }

  /**
   * {@inheritDoc JobQueue.enqueueMany}
   *
   * Jobs without a `uniqueKey` go in one statement; a batch with keys runs
   * in a transaction, since a key held by a concurrent enqueue may take a
   * second statement to resolve. After a large batch the table's planner
   * statistics are refreshed, so claims keep walking the claim index in
   * order instead of sorting the new rows.
   */
  async enqueueMany(jobs: readonly NewJob[]): Promise<Enqueued[]> {
    const enqueued = await this.#insertMany(jobs);
    if (jobs.length >= ANALYZE_AFTER) await this.#rows("ANALYZE workers_jobs", []);
    return enqueued;
  }

  #insertMany(jobs: readonly NewJob[]): Promise<Enqueued[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    if (jobs.every((job) => job.uniqueKey === undefined)) {
      return this.#guard(() => insertJobs(this.#run, jobs));
    }
    return this.#transaction((run) => insertJobs(run, jobs));
  }

  /** {@inheritDoc JobQueue.claim} */
  async claim(options: ClaimOptions): Promise<JobRecord[]> {
    checkKindLimit(options);
    if (options.limit <= 0 || options.names.length === 0) return [];
    const values = [options.names, options.limit, options.workerId, options.leaseMs];
    if (options.kindLimit === undefined) {
      return (await this.#rows<JobRow>(sql.CLAIM, values)).map(toJobRecord);
    }
    const kindLimit = options.kindLimit;
    const rows = await this.#transaction(async (run) => {
      await run(sql.LOCK_KIND, [options.names[0]]);
      return await run<JobRow>(sql.CLAIM_KIND, [...values, kindLimit]);
    });
    return rows.map(toJobRecord);
  }

  /** {@inheritDoc JobQueue.heartbeat} */
  async heartbeat(workerId: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    const rows = await this.#rows<{ id: string }>(sql.HEARTBEAT, [workerId, valid, leaseMs]);
    const held = new Set(rows.map((row) => row.id));
    return valid.filter((id) => held.has(id));
  }

  /**
   * {@inheritDoc JobQueue.complete}
   *
   * The statement of {@linkcode PostgresJobQueue.completeMany}, with one id.
   */
  async complete(id: string, workerId: string): Promise<boolean> {
    return (await this.completeMany([id], workerId)).length === 1;
  }

  /**
   * {@inheritDoc JobQueue.completeMany}
   *
   * One statement completes the jobs and records the state events of those
   * whose completion is watched, as do `fail` and `cancel`.
   */
  async completeMany(ids: readonly string[], workerId: string): Promise<string[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    const rows = await this.#rows<{ id: string }>(sql.COMPLETE_MANY, [valid, workerId]);
    const completed = new Set(rows.map((row) => row.id));
    return valid.filter((id) => completed.has(id));
  }

  /** {@inheritDoc JobQueue.fail} */
  fail(id: string, workerId: string, error: string, retryAt: Date | null): Promise<boolean> {
    return retryAt === null
      ? this.#changed(id, sql.FAIL_DEAD, [workerId, storableText(error)])
      : this.#changed(id, sql.FAIL_RETRY, [workerId, storableText(error), retryAt]);
  }

  /** {@inheritDoc JobQueue.release} */
  release(id: string, workerId: string): Promise<boolean> {
    return this.#changed(id, sql.RELEASE, [workerId]);
  }

  /** {@inheritDoc JobQueue.get} */
  async get(id: string): Promise<JobRecord | null> {
    if (!UUID.test(id)) return null;
    const [row] = await this.#rows<JobRow>(sql.GET, [id]);
    return row === undefined ? null : toJobRecord(row);
  }

  /** {@inheritDoc JobQueue.list} */
  async list(options: ListOptions = {}): Promise<JobPage> {
    const { text, values } = sql.listSql(options);
    const rows = await this.#rows<JobRow & { total: number }>(text, [
      ...values,
      options.limit ?? 50,
      options.offset ?? 0,
    ]);
    return {
      items: rows.filter((row) => row.id !== null).map(toJobRecord),
      total: rows[0]?.total ?? 0,
    };
  }

  /** {@inheritDoc JobQueue.cancel} */
  cancel(id: string): Promise<boolean> {
    return this.#changed(id, sql.CANCEL, []);
  }

  /** {@inheritDoc JobQueue.retry} */
  retry(id: string): Promise<boolean> {
    return this.#changed(id, sql.RETRY, []);
  }

  /** {@inheritDoc JobQueue.stats} */
  async stats(): Promise<JobStats> {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<
      JobState,
      number
    >;
    for (const row of await this.#rows<{ state: JobState; count: number }>(sql.STATS, [])) {
      counts[row.state] = row.count;
    }
    return counts;
  }

  /**
   * {@inheritDoc JobQueue.watchStates}
   *
   * One statement: the pairs are the rows of `workers_watched_states`,
   * which every process's settle statements read, so a watch set by one
   * process records the changes made by all of them. A pair whose name or
   * state holds a NUL character or a lone surrogate is left out, as no job
   * can reach it.
   */
  async watchStates(watched: readonly WatchedState[]): Promise<void> {
    await this.#guard(() => replaceWatchedStates(this.#run, watched));
  }

  /**
   * {@inheritDoc JobQueue.readStateEvents}
   *
   * Ordered by `seq`, taken when the change was written; an id is its `seq`
   * as text.
   *
   * @throws {RangeError} When `limit` is not a positive integer.
   */
  readStateEvents(limit: number): Promise<StateEvent[]> {
    return this.#guard(() => selectStateEvents(this.#run, limit));
  }

  /** {@inheritDoc JobQueue.removeStateEvents} */
  async removeStateEvents(ids: readonly string[]): Promise<void> {
    await this.#guard(() => deleteStateEvents(this.#run, ids));
  }

  /**
   * {@inheritDoc JobQueue.waitForWork}
   *
   * The first wait opens the queue's `LISTEN` connection and returns once
   * it listens, as does the first wait after that connection drops: jobs
   * may have been enqueued while nobody listened.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#listener.wait(timeoutMs, signal);
  }

  /** {@inheritDoc JobQueue.close} */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener.close();
    if (this.#ownsPool) await this.#pool.end();
  }

  /** {@inheritDoc ScheduleStore.fireTick} */
  async fireTick(schedule: string, tick: Date, job: NewJob): Promise<Enqueued | null> {
    return await this.#transaction(async (run) => {
      if ((await run(sql.CLAIM_TICK, [schedule, tick])).length !== 1) return null;
      const [enqueued] = await insertJobs(run, [job]);
      return enqueued!;
    });
  }

  /** {@inheritDoc ScheduleStore.lastTick} */
  async lastTick(schedule: string): Promise<Date | null> {
    const [row] = await this.#rows<{ last_tick: Date }>(sql.LAST_TICK, [schedule]);
    return row?.last_tick ?? null;
  }

  /** Runs an update of one job and tells whether it changed it. */
  async #changed(id: string, text: string, rest: unknown[]): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const [row] = await this.#rows<{ changed: number }>(text, [id, ...rest]);
    return row!.changed > 0;
  }

  /** Runs `body` in a transaction: committed when it resolves, rolled back when it throws. */
  #transaction<T>(body: (run: SqlRunner) => Promise<T>): Promise<T> {
    return this.#guard(() => inTransaction(this.#pool, body, JOB_STATEMENTS));
  }

  #rows<TRow>(text: string, values: unknown[]): Promise<TRow[]> {
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
    return classifyStoreError(error, { ...JOB_STORE, driver: "postgres", target: this.#target });
  }
}

/**
 * Creates the PostgreSQL job queue and schedule store.
 *
 * @param options A URL (the queue owns its pool) or a pool (the caller owns it).
 * @returns The queue; call `close()` when done.
 * @throws {NetScriptError} `STORE_INVALID` when the URL does not parse (its
 * user and password left out of the message).
 *
 * @example
 * ```ts ignore
 * import pg from "pg";
 * import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
 *
 * const pool = new pg.Pool({ connectionString: Deno.env.get("DATABASE_URL") });
 * const queue = createPostgresJobQueue({ pool });
 * await queue.enqueue({ name: "nightly-report", input: {}, runAt: new Date(Date.now() + 60_000) });
 * await queue.close(); // the pool stays open: it is yours
 * await pool.end();
 * ```
 */
export function createPostgresJobQueue(
  options: CreatePostgresJobQueueOptions = {},
): PostgresJobQueue {
  return new PostgresJobQueue(options);
}
