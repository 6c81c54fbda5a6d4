// @ts-types="@types/pg"
import pg from "pg";
import { createLogger, type Logger } from "@netscript/telemetry";
import { checkExpectedRevision, checkTopic, encodeValue } from "../../_store_input.ts";
import { StoreWatches } from "../../_watch_revisions.ts";
import { revisionConflictError } from "../../config_errors.ts";
import type { ConfigStore, ConfigWriteOptions, StoredConfig } from "../../config_store.ts";
import {
  CREATE_SQL,
  CREATE_VALUE_SQL,
  READ_SQL,
  SETUP_LOCK_SQL,
  TABLE_EXISTS_SQL,
  UPDATE_AT_REVISION_SQL,
  WRITE_SQL,
} from "./config_sql.ts";
import { classifyStoreError, redactSecrets, storeUnavailableError } from "@netscript/store";
import { TopicListener } from "./topic_listener.ts";

/** Options of {@linkcode createPostgresConfigStore}. */
export interface CreatePostgresConfigStoreOptions {
  /** The database URL, e.g. `postgresql://app:secret@localhost:5432/app`. */
  url: string;
  /**
   * The most connections the store opens for reads and writes (its watches
   * share one more).
   * @default {4}
   */
  maxConnections?: number;
  /**
   * How long to wait for a connection before failing with `STORE_UNAVAILABLE`.
   * @default {10000}
   */
  connectTimeoutMs?: number;
  /**
   * Where lost connections and failed watch reads are reported.
   * @default {a JSON logger for service "netscript-config"}
   */
  logger?: Logger;
}

/** A row of `netscript.config_topics` as `pg` returns it. */
interface ConfigRow {
  topic: string;
  value: unknown;
  revision: string | number;
  updated_at: Date;
}

/**
 * Opens a config store in a PostgreSQL database, for workspaces whose
 * processes run on several machines. Values live in
 * `netscript.config_topics`, a table in its own schema that the store
 * creates when missing (so the application's Prisma migrations, which
 * manage `public`, never see it). A write is one statement that also sends
 * `NOTIFY netscript_config` with the topic's name; watches share one
 * `LISTEN` connection that reconnects by itself and reads again after
 * reconnecting.
 *
 * @param options The database URL, the pool size, the connect timeout and the logger.
 * @returns The store; `close()` ends its connections.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the database cannot be
 * reached or the table cannot be created; the message never holds the password.
 *
 * @example
 * ```ts ignore
 * import { createPostgresConfigStore } from "@netscript/runtime-config/postgres";
 *
 * const store = await createPostgresConfigStore({ url: Deno.env.get("DATABASE_URL")! });
 * await store.write("workers", { concurrency: 4 });
 * console.log(await store.read("workers"));
 * await store.close();
 * ```
 */
export async function createPostgresConfigStore(
  options: CreatePostgresConfigStoreOptions,
): Promise<ConfigStore> {
  const { url } = options;
  if (typeof url !== "string" || url === "") {
    throw new TypeError("createPostgresConfigStore() needs the database URL as url");
  }
  const logger = options.logger ?? createLogger({ service: "netscript-config" });
  const config: pg.ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
  const pool = new pg.Pool({
    ...config,
    max: options.maxConnections ?? 4,
    application_name: "netscript-config",
  });
  const where = {
    driver: "postgres",
    target: redactSecrets(url),
    dependency: "config store",
  } as const;
  const classify = (error: unknown) => classifyStoreError(error, where);
  pool.on("error", (error) =>
    logger.warn("an idle config store connection failed", {
      url: where.target,
      error: String((classify(error) as Error).message),
    }));
  try {
    await _createTable(pool);
  } catch (error) {
    await pool.end();
    throw storeUnavailableError(
      `${
        (error as Error).message
      }; its user must be allowed to create the schema netscript (or netscript.config_topics must exist)`,
      { ...where, cause: error },
    );
  }
  const listener = new TopicListener({ config, logger });
  const watches = new StoreWatches();
  let closed = false;

  const query = async (sql: string, values: unknown[]): Promise<ConfigRow[]> => {
    try {
      return (await pool.query<ConfigRow>(sql, values)).rows;
    } catch (error) {
      throw classify(error);
    }
  };
  const read = async (topic: string): Promise<StoredConfig | undefined> => {
    const [row] = await query(READ_SQL, [topic]);
    return row === undefined ? undefined : _stored(row);
  };

  return {
    async read(topic) {
      checkTopic(topic);
      return await read(topic);
    },
    async write(topic, value, writeOptions?: ConfigWriteOptions) {
      checkTopic(topic);
      const expected = checkExpectedRevision(writeOptions);
      const json = encodeValue(topic, value);
      const [row] = expected === undefined
        ? await query(WRITE_SQL, [topic, json])
        : expected === 0
        ? await query(CREATE_VALUE_SQL, [topic, json])
        : await query(UPDATE_AT_REVISION_SQL, [topic, json, expected]);
      if (row !== undefined) return _stored(row);
      throw revisionConflictError(topic, expected ?? 0, (await read(topic))?.revision ?? 0);
    },
    watch(topic, { signal }) {
      checkTopic(topic);
      return watches.watch({
        read: () => read(topic),
        listen: (wake) => listener.subscribe(topic, wake),
        signal,
        onReadError(error, failures) {
          logger.warn(`Cannot read config topic "${topic}"; retrying`, {
            topic,
            failures,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await watches.close();
      await listener.close();
      await pool.end();
    },
  };
}

/** Creates the schema and table when missing; concurrent openers wait on an advisory lock. */
async function _createTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    if ((await client.query<{ ok: boolean }>(TABLE_EXISTS_SQL)).rows[0]?.ok) return;
    await client.query("BEGIN");
    try {
      await client.query(SETUP_LOCK_SQL);
      for (const statement of CREATE_SQL) await client.query(statement);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {/* the connection is gone */});
      throw error;
    }
  } finally {
    client.release();
  }
}

function _stored(row: ConfigRow): StoredConfig {
  return {
    topic: row.topic,
    value: row.value,
    revision: Number(row.revision),
    updatedAt: row.updated_at.toISOString(),
  };
}
