/**
 * The NetScript workers rows on Redis: `createRedisJobQueue` with its
 * defaults, in a logical Redis database of its own that the benchmark
 * flushes afterwards. Wake-ups across processes come over Redis pub/sub.
 * Variant `claim-ahead` turns on the worker's `claimAhead`. Run by the
 * benchmark as a child process (see `../child.ts`).
 *
 * @module
 */
import { createRedisJobQueue } from "@netscript/plugin-workers-core/redis";
import { runBenchChild } from "../child.ts";
import { type BenchSystem, CLAIM_AHEAD } from "../system.ts";
import { netscriptProducer, netscriptWorker } from "./netscript_shared.ts";

/** NetScript's Redis adapter, as the benchmark drives it. */
export const netscriptRedis: BenchSystem = {
  producer: async (target) =>
    netscriptProducer(await createRedisJobQueue({ url: target.location })),
  worker: async (target, variant, concurrency, handle) =>
    netscriptWorker(await createRedisJobQueue({ url: target.location }), concurrency, handle, {
      claimAhead: variant === "claim-ahead" ? CLAIM_AHEAD : 0,
    }),
};

if (import.meta.main) await runBenchChild(netscriptRedis);
