/**
 * Redis helpers every plugin's store shares, on ioredis: connections that
 * fail fast when Redis is down and reconnect once up, a pub/sub subscriber
 * that reconnects and wakes waiters, and log lines for a connection's
 * trouble. Failures are the shared `STORE_UNAVAILABLE` error, without the
 * URL's password. Loading this module loads ioredis, which reads the
 * environment: import it only where Redis is used.
 *
 * @example Open a connection and wait for messages
 * ```ts ignore
 * import {
 *   closeRedisConnection,
 *   createRedisListener,
 *   openRedisConnection,
 * } from "@netscript/store/redis";
 *
 * const client = await openRedisConnection("redis://127.0.0.1:6379", {
 *   store: { dependency: "billing store" },
 * });
 * const listener = createRedisListener({ source: client, channels: ["billing:wake"] });
 * await listener.wait(1_000);
 * await listener.close();
 * await closeRedisConnection(client);
 * ```
 *
 * @module
 */

export {
  closeRedisConnection,
  connectRedis,
  type ConnectRedisOptions,
  createRedisConnection,
  describeRedisTarget,
  openRedisConnection,
  type OpenRedisConnectionOptions,
  type RedisConnectionOptions,
  type RedisStoreNames,
  reportRedisConnection,
  type ReportRedisConnectionOptions,
} from "./redis_connection.ts";
export { createRedisListener, type RedisListenerOptions } from "./redis_listener.ts";
export type { WakeListener } from "../wake_signal.ts";
