/**
 * The PostgreSQL delivery store.
 *
 * @module
 */
import type { Pool } from "pg";
import { isNetScriptError } from "@netscript/contracts/errors";
import { resolveDatabaseUrl } from "@netscript/db";
import { classifyStoreError, createTimeOrderedId, type WakeListener } from "@netscript/store";
import {
  createPostgresListener,
  preparedRunner,
  type SqlRunner,
  storePool,
} from "@netscript/store/postgres";
import { createLogger, type Logger } from "@netscript/telemetry";
import {
  type ClaimDeliveriesOptions,
  DELIVERY_STATES,
  type DeliveryOutcome,
  type DeliveryPage,
  type DeliveryRecord,
  type DeliveryState,
  type DeliveryStats,
  type DeliveryStore,
  type ListDeliveriesOptions,
  type NewDelivery,
  type Recorded,
} from "../../ports/delivery_store.ts";
import { DELIVERY_ID } from "../_delivery_id.ts";
import { DELIVERY_STORE } from "../_delivery_store_names.ts";
import { jsonText, storableDelivery, storableText } from "../_storable_delivery.ts";
import { type DeliveryRow, toDeliveryRecord } from "./_delivery_row.ts";
import { RecordBatcher, type RecordRow } from "./_record_batcher.ts";
import * as sql from "./_delivery_sql.ts";

/** Options of {@linkcode createPostgresDeliveryStore}. */
export interface CreatePostgresDeliveryStoreOptions {
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
   * @default {a JSON logger for the service "triggers"}
   */
  logger?: Logger | undefined;
}

/** How the store's statements are prepared: their name prefix. */
const STATEMENTS = { prefix: "triggers" };

/** The delivery store on `triggers_deliveries` and `triggers_cursors`. */
class PostgresDeliveryStore implements DeliveryStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #target: string;
  readonly #listener: WakeListener;
  readonly #run: SqlRunner;
  readonly #batcher = new RecordBatcher({
    write: (rows) => this.#writeRecords(rows),
    storeWide: (error) => isNetScriptError(error),
  });
  #closed = false;

  constructor(options: CreatePostgresDeliveryStoreOptions) {
    const logger = options.logger ?? createLogger({ service: "triggers" });
    const { pool, ownsPool, target } = storePool({
      url: options.url,
      pool: options.pool,
      maxConnections: options.maxConnections,
      defaultUrl: () => resolveDatabaseUrl("postgres"),
      store: "the triggers delivery store",
      creator: "createPostgresDeliveryStore",
      onIdleError: (error) =>
        logger.warn("an idle triggers store connection failed", { error: this.#classify(error) }),
    });
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#target = target;
    this.#run = preparedRunner(this.#pool, STATEMENTS);
    this.#listener = createPostgresListener({
      config: this.#pool.options,
      channels: [sql.CHANNEL],
      name: "triggers listener",
      applicationName: "netscript-triggers-listener",
      logger,
      store: DELIVERY_STORE,
    });
  }

  /** Checks the delivery before it joins a batch, so an unstorable one fails on its own. */
  record(delivery: NewDelivery): Promise<Recorded> {
    let row: RecordRow;
    try {
      row = { id: createTimeOrderedId(Date.now()), ...storableDelivery(delivery) };
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#batcher.record(row);
  }

  async #writeRecords(rows: readonly RecordRow[]): Promise<(Recorded | undefined)[]> {
    const column = <T>(pick: (row: RecordRow) => T) => rows.map(pick);
    const found = await this.#rows<Recorded & { n: number }>(sql.RECORD, [
      column((r) => r.id),
      column((r) => r.trigger),
      column((r) => r.source),
      column((r) => r.key),
      column((r) => r.payload),
      column((r) => r.headers),
      column((r) => r.state),
      column((r) => r.error),
      column((r) => r.replayOf),
      column((r) => r.traceparent),
      column((r) => r.cursor),
      column((r) => r.runAt?.toISOString() ?? null),
    ]);
    const recorded: (Recorded | undefined)[] = rows.map(() => undefined);
    for (const { n, id, duplicate, state } of found) recorded[n - 1] = { id, duplicate, state };
    return recorded;
  }

  async claim(options: ClaimDeliveriesOptions): Promise<DeliveryRecord[]> {
    if (options.limit <= 0) return [];
    const rows = await this.#rows<DeliveryRow>(sql.CLAIM, [
      options.limit,
      options.owner,
      options.leaseMs,
    ]);
    return rows.map(toDeliveryRecord);
  }

  async settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean> {
    if (!DELIVERY_ID.test(id)) return false;
    const held = [id, owner];
    let rows: unknown[];
    switch (outcome.state) {
      case "dispatched": {
        const { kind, name, id: jobId } = outcome.target;
        const target = { kind, name: storableText(name), id: storableText(jobId) };
        rows = await this.#rows(sql.DISPATCHED, [...held, jsonText(target, "target")]);
        break;
      }
      case "skipped":
        rows = await this.#rows(sql.SKIPPED, held);
        break;
      case "failed":
        rows = await this.#rows(sql.FAILED, [...held, storableText(outcome.error)]);
        break;
      case "pending":
        rows = await this.#rows(sql.RETRY, [
          ...held,
          storableText(outcome.error),
          outcome.retryAt,
        ]);
    }
    return rows.length > 0;
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    if (!DELIVERY_ID.test(id)) return null;
    const [row] = await this.#rows<DeliveryRow>(sql.GET, [id]);
    return row === undefined ? null : toDeliveryRecord(row);
  }

  async list(options: ListDeliveriesOptions = {}): Promise<DeliveryPage> {
    const rows = await this.#rows<DeliveryRow & { total: number }>(sql.LIST, [
      options.trigger ?? null,
      options.state ?? null,
      options.limit ?? 50,
      options.offset ?? 0,
    ]);
    return {
      items: rows.filter((row) => row.id !== null).map(toDeliveryRecord),
      total: rows[0]?.total ?? 0,
    };
  }

  async stats(): Promise<DeliveryStats> {
    const counts = Object.fromEntries(DELIVERY_STATES.map((state) => [state, 0])) as Record<
      DeliveryState,
      number
    >;
    for (const row of await this.#rows<{ state: DeliveryState; count: number }>(sql.STATS, [])) {
      counts[row.state] = row.count;
    }
    return counts;
  }

  async cursor(trigger: string): Promise<string | null> {
    const [row] = await this.#rows<{ value: string }>(sql.CURSOR, [trigger]);
    return row?.value ?? null;
  }

  async prune(before: Date): Promise<number> {
    const [row] = await this.#rows<{ pruned: number }>(sql.PRUNE, [before]);
    return row!.pruned;
  }

  /**
   * The first wait opens the store's `LISTEN` connection and returns once
   * it listens, as does the first wait after that connection drops:
   * deliveries may have been recorded while nobody listened.
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

  async #rows<TRow>(text: string, values: readonly unknown[]): Promise<TRow[]> {
    try {
      return await this.#run<TRow>(text, values);
    } catch (error) {
      throw this.#classify(error);
    }
  }

  #classify(error: unknown): unknown {
    return classifyStoreError(error, {
      ...DELIVERY_STORE,
      driver: "postgres",
      target: this.#target,
    });
  }
}

/**
 * Creates the production delivery store, on PostgreSQL's
 * `triggers_deliveries` and `triggers_cursors` tables (created by
 * `netscript db migrate` from the triggers plugin's schema fragment).
 * Recording is one statement: the insert (a unique index on trigger and
 * key refuses a duplicate), the cursor moved forward, and a
 * `NOTIFY triggers_deliveries` on commit, which wakes `waitForWork` in
 * every process at once. A delivery recorded while no record statement is
 * in flight is written at once; those recorded while one is in flight are
 * written together in the next (up to 100 per statement, one commit), and
 * each `record()` resolves once its own row is committed. Claims use `FOR UPDATE SKIP LOCKED`, so any
 * number of processors share the outbox without dispatching a delivery
 * twice. Every time comes from the database clock. Connects lazily:
 * nothing opens until the first call.
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
 * import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
 *
 * const store = createPostgresDeliveryStore({ url: "postgresql://postgres@127.0.0.1:5432/app" });
 * await store.record({ trigger: "github", source: "webhook", key: "d-1", payload: {} });
 * console.log(await store.stats());
 * await store.close();
 * ```
 */
export function createPostgresDeliveryStore(
  options: CreatePostgresDeliveryStoreOptions = {},
): DeliveryStore {
  return new PostgresDeliveryStore(options);
}
