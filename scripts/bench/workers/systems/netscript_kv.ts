/**
 * The NetScript workers row on Deno KV: `openKvJobQueue` with its defaults
 * on one KV file in a temporary folder, opened by the producer and by each
 * worker process (cross-process wake-ups come from the adapter's commit
 * doorbell, a file watch on the KV file's folder, with the wake-up key read
 * every second in case one is missed). Run by the benchmark as a child
 * process (see `../child.ts`); needs Deno KV, which the workspace's
 * `deno.json` enables.
 *
 * @module
 */
import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
import { runBenchChild } from "../child.ts";
import type { BenchSystem } from "../system.ts";
import { netscriptProducer, netscriptWorker } from "./netscript_shared.ts";

/** NetScript's Deno KV adapter, as the benchmark drives it. */
export const netscriptKv: BenchSystem = {
  producer: async (target) => netscriptProducer(await openKvJobQueue(target.location)),
  worker: async (target, _variant, concurrency, handle) =>
    netscriptWorker(await openKvJobQueue(target.location), concurrency, handle),
};

if (import.meta.main) await runBenchChild(netscriptKv);
