import { dirname } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { JobQueue, ScheduleStore } from "@netscript/plugin-workers-core";
import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";

/** The store kinds the workers run on. */
export type JobStoreKind = "postgres" | "kv" | "redis";

/** An open job store. */
export interface JobStore {
  /** Which store it is. */
  readonly kind: JobStoreKind;
  /** Where it is: the database or Redis URL without its password, or the KV file. */
  readonly location: string;
  /** The queue and schedule store. */
  readonly queue: JobQueue & ScheduleStore;
}

/** The Deno KV file used when neither `WORKERS_KV_PATH` nor `DENO_KV_PATH` names one. */
export const DEFAULT_KV_PATH = ".netscript/data/workers.kv";

/**
 * Opens the job store the environment selects. `WORKERS_STORE` chooses
 * `postgres`, `kv` or `redis`; without it, the store follows the
 * workspace's database: Postgres when `DATABASE_URL` (or Aspire's `DB_URI`,
 * read in that order like the database client does) is a PostgreSQL URL,
 * Deno KV otherwise. Deno KV uses `WORKERS_KV_PATH`, else the cache's
 * `DENO_KV_PATH`, else `.netscript/data/workers.kv`. Redis is only used
 * when chosen, at `WORKERS_REDIS_URL`, else `REDIS_URL`, else the cache's
 * `CACHE_URI`.
 *
 * @param env Where variables are read.
 * @returns The open store.
 * @throws {NetScriptError} `WORKERS_STORE_INVALID` for an unknown `WORKERS_STORE`,
 * `postgres` without a PostgreSQL URL, or `redis` without a Redis URL;
 * `WORKERS_STORE_UNAVAILABLE` when the store cannot be opened or reached.
 */
export async function openJobStore(
  env: { get(name: string): string | undefined } = Deno.env,
): Promise<JobStore> {
  const url = env.get("DATABASE_URL") ?? env.get("DB_URI");
  const isPostgres = url !== undefined && /^postgres(ql)?:\/\//.test(url);
  const wanted = env.get("WORKERS_STORE") ?? (isPostgres ? "postgres" : "kv");
  if (wanted === "postgres") {
    if (!isPostgres) {
      throw new NetScriptError(
        "WORKERS_STORE_INVALID",
        `WORKERS_STORE=postgres needs a PostgreSQL URL in DATABASE_URL or DB_URI (got ${
          url === undefined ? "none" : JSON.stringify(_redact(url))
        })`,
        { details: { store: wanted } },
      );
    }
    return {
      kind: "postgres",
      location: _redact(url!),
      queue: await createPostgresJobQueue({ url: url! }),
    };
  }
  if (wanted === "redis") {
    const redisUrl = env.get("WORKERS_REDIS_URL") ?? env.get("REDIS_URL") ?? env.get("CACHE_URI");
    if (redisUrl === undefined) {
      throw new NetScriptError(
        "WORKERS_STORE_INVALID",
        "WORKERS_STORE=redis needs a Redis URL in WORKERS_REDIS_URL, REDIS_URL or CACHE_URI (got none)",
        { details: { store: wanted } },
      );
    }
    // Loaded only when chosen: the Redis client reads the environment as it
    // loads, which the manifest loader (read-only, no variables) forbids.
    const { createRedisJobQueue } = await import("@netscript/plugin-workers-core/redis");
    return {
      kind: "redis",
      location: _redact(redisUrl),
      queue: await createRedisJobQueue({ url: redisUrl }),
    };
  }
  if (wanted === "kv") {
    const path = env.get("WORKERS_KV_PATH") ?? env.get("DENO_KV_PATH") ?? DEFAULT_KV_PATH;
    try {
      await Deno.mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw new NetScriptError(
        "WORKERS_STORE_UNAVAILABLE",
        `Cannot create the folder of the Deno KV file ${path}: ${(error as Error).message}`,
        { details: { path }, cause: error },
      );
    }
    return { kind: "kv", location: path, queue: await openKvJobQueue(path) };
  }
  throw new NetScriptError(
    "WORKERS_STORE_INVALID",
    `WORKERS_STORE must be "postgres", "kv" or "redis" (got ${JSON.stringify(wanted)})`,
    { details: { store: wanted } },
  );
}

function _redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
