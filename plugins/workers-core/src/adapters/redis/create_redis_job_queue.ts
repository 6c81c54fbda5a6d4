import type { Redis } from "ioredis";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  closeRedisConnection,
  describeRedisTarget,
  openRedisConnection,
} from "@netscript/store/redis";
import { checkStoreUrl, storeUnavailableError } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";
import { JOB_STORE } from "../job_store_names.ts";
import { RedisJobQueue } from "./redis_job_queue.ts";

/** Options of {@linkcode createRedisJobQueue}. */
export interface CreateRedisJobQueueOptions {
  /**
   * The Redis URL (`redis://` or `rediss://`, with a password and a
   * database number if needed). The queue opens a connection of its own
   * and closes it on `close()`.
   * @default {`REDIS_URL`, else Aspire's `CACHE_URI`}
   */
  url?: string | undefined;
  /**
   * The first part of every key, so one Redis database can hold several
   * queues, or other data.
   * @default {"workers"}
   */
  keyPrefix?: string | undefined;
  /**
   * Where the queue reports failures in the background (its connections
   * dropping and coming back).
   * @default {a JSON logger for the service "workers"}
   */
  logger?: Logger | undefined;
  /**
   * How long connecting may take, and each reconnection attempt later.
   * @default {10_000}
   */
  connectTimeoutMs?: number | undefined;
}

/** The oldest Redis with every command the scripts use (`ZRANGESTORE`, `ZDIFFSTORE`). */
const OLDEST_VERSION = [6, 2] as const;

/**
 * Connects to Redis and returns the job queue and schedule store on it.
 * It fails, rather than waiting, when Redis cannot be reached: the first
 * failed attempt (or `connectTimeoutMs` without an answer) ends it. Once
 * connected, the queue reconnects by itself, and a command fails with
 * `STORE_UNAVAILABLE` after two reconnection attempts.
 *
 * @param options The URL, the key prefix, a logger and the connect timeout.
 * @returns The queue; call `close()` when done.
 * @throws {NetScriptError} `STORE_INVALID` when no URL is given or
 * set, or it does not parse or is not a `redis://` or `rediss://` URL;
 * `STORE_UNAVAILABLE` when Redis cannot be reached or is older than 6.2.
 *
 * @example
 * ```ts ignore
 * import { createRedisJobQueue } from "@netscript/plugin-workers-core/redis";
 *
 * const queue = await createRedisJobQueue({ url: "redis://127.0.0.1:6379" });
 * const { id } = await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * const [job] = await queue.claim({ workerId: "w1", limit: 1, leaseMs: 30_000, names: ["send-email"] });
 * await queue.complete(job!.id, "w1");
 * console.log((await queue.get(id))?.state); // "completed"
 * await queue.close();
 * ```
 */
export async function createRedisJobQueue(
  options: CreateRedisJobQueueOptions = {},
): Promise<RedisJobQueue> {
  const client = await openRedisConnection(
    checkStoreUrl(options.url ?? _urlFromEnv(), {
      driver: "redis",
      store: "the workers job store",
    }),
    {
      connectTimeoutMs: options.connectTimeoutMs,
      connectionName: "netscript-workers",
      store: JOB_STORE,
    },
  );
  const old = await _olderVersion(client);
  if (old !== null) {
    await closeRedisConnection(client);
    throw storeUnavailableError(`the server runs Redis ${old}; the queue needs 6.2 or newer`, {
      ...JOB_STORE,
      driver: "redis",
      target: describeRedisTarget(client),
    });
  }
  return new RedisJobQueue(client, {
    keyPrefix: options.keyPrefix,
    logger: options.logger,
    ownsClient: true,
  });
}

function _urlFromEnv(): string {
  const url = Deno.env.get("REDIS_URL") ?? Deno.env.get("CACHE_URI");
  if (url === undefined) {
    throw new NetScriptError(
      "STORE_INVALID",
      "No Redis URL for the workers job store: pass url to createRedisJobQueue(), or set REDIS_URL (or CACHE_URI, as Aspire does)",
      { details: { variables: ["REDIS_URL", "CACHE_URI"] } },
    );
  }
  return url;
}

/**
 * The server's version when `INFO server` names one older than 6.2, else
 * `null` (a newer one, or a compatible server that names none).
 */
async function _olderVersion(client: Redis): Promise<string | null> {
  let info: string;
  try {
    info = await client.info("server");
  } catch (error) {
    await closeRedisConnection(client);
    throw storeUnavailableError(error instanceof Error ? error.message : String(error), {
      ...JOB_STORE,
      driver: "redis",
      target: describeRedisTarget(client),
      cause: error,
    });
  }
  const match = /^redis_version:((\d+)\.(\d+)\S*)/m.exec(info);
  if (match === null) return null;
  const [major, minor] = [Number(match[2]), Number(match[3])];
  const [oldestMajor, oldestMinor] = OLDEST_VERSION;
  return major < oldestMajor || (major === oldestMajor && minor < oldestMinor) ? match[1]! : null;
}
