/**
 * The NetScript workers row on Redis: `createRedisJobQueue` with its
 * defaults, in a logical Redis database of its own that the benchmark
 * flushes afterwards. Wake-ups across processes come over Redis pub/sub.
 * Run by the benchmark as a child process (see `../child.ts`).
 *
 * @module
 */
import { createRedisJobQueue } from "@netscript/plugin-workers-core/redis";
import { runBenchChild } from "../child.ts";
import type { BenchSystem } from "../system.ts";
import { netscriptProducer, netscriptWorker } from "./netscript_shared.ts";

/** NetScript's Redis adapter, as the benchmark drives it. */
export const netscriptRedis: BenchSystem = {
  producer: async (target) =>
    netscriptProducer(await createRedisJobQueue({ url: target.location })),
  worker: async (target, _variant, concurrency, handle) =>
    netscriptWorker(await createRedisJobQueue({ url: target.location }), concurrency, handle),
};

if (import.meta.main) await runBenchChild(netscriptRedis);
