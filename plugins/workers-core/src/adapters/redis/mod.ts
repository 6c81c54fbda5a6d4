/**
 * The Redis job queue and schedule store, on `ioredis`: every operation is
 * one Lua script, atomic on the server, so any number of worker processes
 * on any machines share the queue without handing a job to two of them;
 * `waitForWork` wakes on a pub/sub message, and schedules fire once per
 * tick. Needs a standalone Redis 6.2 or newer. Jobs are as durable as
 * Redis is configured to be: without AOF persistence, a restart loses
 * jobs.
 *
 * @example
 * ```ts ignore
 * import { createRedisJobQueue } from "@netscript/plugin-workers-core/redis";
 *
 * const queue = await createRedisJobQueue(); // REDIS_URL, else CACHE_URI
 * await queue.enqueue({ name: "send-email", input: { to: "a@example.com" }, uniqueKey: "welcome:42" });
 * console.log(await queue.stats());
 * await queue.close();
 * ```
 *
 * @module
 */
export { createRedisJobQueue, type CreateRedisJobQueueOptions } from "./create_redis_job_queue.ts";
export { RedisJobQueue, type RedisJobQueueOptions } from "./redis_job_queue.ts";
