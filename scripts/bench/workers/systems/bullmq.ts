/**
 * The BullMQ row, on the same Redis as the NetScript Redis row and in a
 * logical database of its own: one `Worker` per worker process with
 * `concurrency` set to the benchmark's and its defaults otherwise (so
 * completed jobs are kept, and the store's completed count is exact), bulk
 * enqueue with `Queue.addBulk`, single enqueue with `Queue.add`, counts from
 * `Queue.getJobCounts()`. Its connections are clients of the workspace's
 * ioredis, the NetScript Redis adapter's client. Each run uses a queue of
 * its own: the producer names it and records the name in the store, where
 * the workers read it. Run by the benchmark as a child process (see
 * `../child.ts`), with the benchmarks' lockfile: the package is a
 * benchmark-only dependency (see `../../bench_packages.ts`).
 *
 * @module
 */
import { Redis } from "ioredis";
import { BULLMQ, loadBenchPackage, MSGPACKR_EXTRACT } from "../../bench_packages.ts";
import { runBenchChild } from "../child.ts";
import { type BenchSystem, JOB_NAME, type JobPayload } from "../system.ts";

/** The subset of BullMQ's `Queue` used here. */
interface Queue {
  on(event: "error", listener: (error: Error) => void): void;
  waitUntilReady(): Promise<unknown>;
  addBulk(jobs: { name: string; data: JobPayload }[]): Promise<unknown>;
  add(name: string, data: JobPayload): Promise<unknown>;
  getJobCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The subset of BullMQ's `Worker` used here. */
interface Worker {
  on(event: "error", listener: (error: Error) => void): void;
  waitUntilReady(): Promise<unknown>;
  run(): Promise<void>;
  close(): Promise<void>;
}

/** The subset of BullMQ's exports used here. */
interface BullMq {
  Queue: new (name: string, options: { connection: Redis }) => Queue;
  Worker: new (
    name: string,
    processor: (job: { data: JobPayload }) => Promise<void>,
    options: { connection: Redis; concurrency: number; autorun: boolean },
  ) => Worker;
}

await loadBenchPackage(MSGPACKR_EXTRACT, { with: { type: "json" } });
const { Queue, Worker } = await loadBenchPackage<BullMq>(BULLMQ);

/** The key under which the producer records the run's queue name, in the run's database. */
const QUEUE_NAME_KEY = "netscript-bench:bullmq-queue";

/** BullMQ, as the benchmark drives it. */
export const bullmq: BenchSystem = {
  producer(target) {
    const redis = new Redis(target.location);
    const name = `bench-${crypto.randomUUID()}`;
    const queue = new Queue(name, { connection: redis });
    queue.on("error", (error) => console.error("BullMQ queue error:", error));
    return Promise.resolve({
      async setup() {
        await queue.waitUntilReady();
        await redis.set(QUEUE_NAME_KEY, name);
      },
      async enqueueMany(payloads) {
        await queue.addBulk(payloads.map((data) => ({ name: JOB_NAME, data })));
      },
      async enqueueOne(payload) {
        await queue.add(JOB_NAME, payload);
      },
      async counts() {
        const { completed = 0, ...states } = await queue.getJobCounts();
        const other = Object.fromEntries(Object.entries(states).filter(([, count]) => count > 0));
        return { completed, other };
      },
      async close() {
        await queue.close();
        await redis.quit();
      },
    });
  },
  async worker(target, _variant, concurrency, handle) {
    // BullMQ's blocking connections must retry forever; it duplicates this client for them.
    const redis = new Redis(target.location, { maxRetriesPerRequest: null });
    const name = await redis.get(QUEUE_NAME_KEY);
    if (name === null) {
      await redis.quit();
      throw new Error(
        `Cannot start a BullMQ worker: no queue name under "${QUEUE_NAME_KEY}" in ${target.location}; run the producer's setup first`,
      );
    }
    const worker = new Worker(
      name,
      (job) => {
        handle(job.data);
        return Promise.resolve();
      },
      { connection: redis, concurrency, autorun: false },
    );
    worker.on("error", (error) => console.error("BullMQ worker error:", error));
    await worker.waitUntilReady();
    return {
      start() {
        worker.run().catch((error) => console.error("BullMQ worker stopped:", error));
        return Promise.resolve({
          counters: () => ({}),
          async stop() {
            await worker.close();
            await redis.quit();
          },
        });
      },
    };
  },
};

if (import.meta.main) await runBenchChild(bullmq);
