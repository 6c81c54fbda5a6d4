import type { JobQueue, ScheduleStore } from "@netscript/plugin-workers-core";
import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { type EnvReader, processEnv } from "@netscript/runtime";
import { DATA_FOLDER, openSelectedStore, type StoreKind } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";

/** The store kinds the workers run on. */
export type JobStoreKind = StoreKind;

/** An open job store. */
export interface JobStore {
  /** Which store it is. */
  readonly kind: JobStoreKind;
  /** Where it is: the database or Redis URL without its password, or the KV file. */
  readonly location: string;
  /** The queue and schedule store. */
  readonly queue: JobQueue & ScheduleStore;
}

/** The name `selectStore` gives the workers' Deno KV file. */
const KV_SLUG = "workers";

/** The Deno KV file used when neither `WORKERS_KV_PATH` nor `DENO_KV_PATH` names one. */
export const DEFAULT_KV_PATH: string = `${DATA_FOLDER}/${KV_SLUG}.kv`;

/** Options of {@linkcode openJobStore}. */
export interface OpenJobStoreOptions {
  /**
   * The prefix of the variables that choose the store (`<PREFIX>_STORE`, …):
   * the plugin's `envPrefix`.
   * @default {"WORKERS"}
   */
  readonly prefix?: string | undefined;
  /**
   * Where the store reports failures in the background.
   * @default {each adapter's own JSON logger}
   */
  readonly logger?: Logger | undefined;
}

/**
 * Opens the job store the environment selects, with `@netscript/store`'s
 * `openSelectedStore`: `WORKERS_STORE` chooses `postgres`, `kv` or `redis`;
 * without it, the store follows the workspace's database: Postgres when
 * `DATABASE_URL` (or Aspire's `DB_URI`) is a PostgreSQL URL, Deno KV
 * otherwise. Deno KV uses `WORKERS_KV_PATH`, else the cache's
 * `DENO_KV_PATH`, else `.netscript/data/workers.kv` (creating its folder).
 * Redis is only used when chosen, at `WORKERS_REDIS_URL`, else
 * `REDIS_URL`, else the cache's `CACHE_URI`.
 *
 * @param env Where variables are read.
 * @param options The variables' prefix and a logger.
 * @returns The open store.
 * @throws {NetScriptError} `STORE_INVALID` for an unknown
 * `WORKERS_STORE`, `postgres` without a PostgreSQL URL, or `redis` without
 * a Redis URL; `STORE_UNAVAILABLE` when the store cannot be opened or reached.
 *
 * @example
 * ```ts
 * import { envFrom } from "@netscript/runtime";
 * import { openJobStore } from "@netscript/plugin-workers";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await openJobStore(envFrom({ WORKERS_KV_PATH: `${dir}/jobs/workers.kv` }));
 * console.log(store.kind, (await store.queue.stats()).queued); // "kv" 0
 * await store.queue.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openJobStore(
  env: EnvReader = processEnv,
  options: OpenJobStoreOptions = {},
): Promise<JobStore> {
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  const { kind, location, store } = await openSelectedStore<JobStoreKind, JobStore["queue"]>(
    {
      prefix: options.prefix ?? "WORKERS",
      env,
      slug: KV_SLUG,
      kinds: ["postgres", "kv", "redis"],
    },
    {
      postgres: ({ url }) => createPostgresJobQueue({ url, ...logger }),
      redis: async ({ url }) => {
        // Loaded only when chosen: the Redis client reads the environment as it
        // loads, which the manifest loader (read-only, no variables) forbids.
        const { createRedisJobQueue } = await import("@netscript/plugin-workers-core/redis");
        return await createRedisJobQueue({ url, ...logger });
      },
      kv: ({ path }) => openKvJobQueue(path, { createFolder: true }),
    },
  );
  return { kind, location, queue: store };
}
