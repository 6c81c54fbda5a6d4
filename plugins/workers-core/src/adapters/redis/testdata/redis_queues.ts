/**
 * Redis queues for the adapter's tests, each on a key prefix of its own
 * (so tests sharing the machine's Redis never see each other's jobs), and
 * the clean-up that deletes every key under those prefixes.
 *
 * @module
 */
import { Redis } from "ioredis";
import { createLogger } from "@netscript/telemetry";
import { redis, REDIS_URL } from "../../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../../tests/support/requirements.ts";
import { closeRedisConnection } from "@netscript/store/redis";
import { createRedisJobQueue, type RedisJobQueue } from "../mod.ts";

/** A logger that drops every line. */
export const quiet = createLogger({ service: "workers-test", sink: () => {} });

/**
 * Declares a Redis test: skipped with the printed reason when Redis is
 * unreachable; deletes the keys of the queues it opened.
 *
 * @param name The test's name.
 * @param fn The test, given its queues.
 */
export function redisTest(
  name: string,
  fn: (queues: TestQueues, t: Deno.TestContext) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: redis.ignore,
    async fn(t) {
      assertAvailable(redis, "redis");
      const queues = new TestQueues();
      try {
        await fn(queues, t);
      } finally {
        await queues.drop();
      }
    },
  });
}

/** Queues on fresh prefixes, and their clean-up. */
export class TestQueues {
  readonly #prefixes = new Set<string>();

  /**
   * A new, unused key prefix.
   *
   * @returns The prefix.
   */
  prefix(): string {
    const prefix = `netscript-test:${crypto.randomUUID()}`;
    this.#prefixes.add(prefix);
    return prefix;
  }

  /**
   * Opens a queue on its own connection.
   *
   * @param prefix The key prefix; a fresh one when not given.
   * @returns The queue.
   */
  open(prefix: string = this.prefix()): Promise<RedisJobQueue> {
    return createRedisJobQueue({ url: REDIS_URL, keyPrefix: prefix, logger: quiet });
  }

  /**
   * Counts the keys under a prefix.
   *
   * @param prefix The prefix.
   * @returns The keys, sorted, without the prefix.
   */
  async keys(prefix: string): Promise<string[]> {
    return await _withRedis(async (redis) => {
      const found: string[] = [];
      for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
        found.push(...(batch as string[]).map((key) => key.slice(prefix.length + 1)));
      }
      return found.sort();
    });
  }

  /** Deletes every key under the prefixes handed out. */
  async drop(): Promise<void> {
    await _withRedis(async (redis) => {
      for (const prefix of this.#prefixes) {
        for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
          if ((batch as string[]).length > 0) await redis.unlink(...(batch as string[]));
        }
      }
    });
  }
}

async function _withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    return await use(redis);
  } finally {
    await closeRedisConnection(redis);
  }
}
