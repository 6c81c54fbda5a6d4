/**
 * The Deno KV job queue and schedule store, the embedded default: one
 * SQLite file (under `.netscript/data/`) that an API, workers and a
 * scheduler open at once. Built on keys and atomic operations with version
 * checks and leases, not on `kv.enqueue`. Needs `--unstable-kv`.
 *
 * @example
 * ```ts
 * import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
 *
 * const queue = await openKvJobQueue(await Deno.makeTempFile({ suffix: ".sqlite3" }));
 * const { id } = await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * const [job] = await queue.claim({ workerId: "w1", limit: 10, leaseMs: 30_000, names: ["send-email"] });
 * await queue.complete(job!.id, "w1");
 * console.log((await queue.get(id))?.state); // "completed"
 * await queue.close();
 * ```
 *
 * @module
 */
export { KvJobQueue, type KvJobQueueOptions } from "./kv_job_queue.ts";
export { openKvJobQueue, type OpenKvJobQueueOptions } from "./open_kv_job_queue.ts";
