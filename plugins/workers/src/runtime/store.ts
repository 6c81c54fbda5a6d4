import { dirname } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { JobQueue, ScheduleStore } from "@netscript/plugin-workers-core";
import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";

/** The store kinds the workers run on. */
export type JobStoreKind = "postgres" | "kv";

/** An open job store. */
export interface JobStore {
  /** Which store it is. */
  readonly kind: JobStoreKind;
  /** Where it is: the database URL without its password, or the KV file. */
  readonly location: string;
  /** The queue and schedule store. */
  readonly queue: JobQueue & ScheduleStore;
}

/** The Deno KV file used when neither `WORKERS_KV_PATH` nor `DENO_KV_PATH` names one. */
export const DEFAULT_KV_PATH = ".netscript/data/workers.kv";

/**
 * Opens the job store the environment selects. `WORKERS_STORE` chooses
 * `postgres` or `kv`; without it, the store follows the workspace's
 * database: Postgres when `DATABASE_URL` (or Aspire's `DB_URI`, read in that
 * order like the database client does) is a PostgreSQL URL,
 * Deno KV otherwise. Deno KV uses `WORKERS_KV_PATH`, else the cache's
 * `DENO_KV_PATH`, else `.netscript/data/workers.kv`.
 *
 * @param env Where variables are read.
 * @returns The open store.
 * @throws {NetScriptError} `WORKERS_STORE_INVALID` for an unknown `WORKERS_STORE`
 * or `postgres` without a PostgreSQL URL.
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
    `WORKERS_STORE must be "postgres" or "kv" (got ${JSON.stringify(wanted)})`,
    { details: { store: wanted } },
  );
}

function _redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
