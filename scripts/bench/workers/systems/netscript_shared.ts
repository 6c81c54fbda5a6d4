/**
 * What both NetScript rows share: the benchmark job, the producer and the
 * worker over any {@linkcode JobQueue}, and a counting decorator around
 * the queue that shows where a worker's store calls go (claims, claim
 * batch sizes, completions, waits). The decorator adds two clock reads
 * and a few additions per call, nothing else.
 *
 * @module
 */
import {
  createJobClient,
  createWorker,
  defineJob,
  type JobDefinition,
  type JobQueue,
} from "@netscript/plugin-workers-core";
import { z } from "zod";
import {
  JOB_NAME,
  type JobPayload,
  type PreparedWorker,
  type Producer,
  type StoreCounts,
} from "../system.ts";

/**
 * The benchmark's no-op job, as a workspace would define it: an input
 * schema and a handler.
 *
 * @param handle Called with the input when the handler starts.
 * @returns The definition.
 */
export function benchJob(handle: (payload: JobPayload) => void): JobDefinition {
  return defineJob({
    name: JOB_NAME,
    input: z.object({ i: z.int().nonnegative(), at: z.number().optional() }),
    handler: (input) => handle(input),
  });
}

/**
 * The producer over a NetScript queue: bulk enqueue is
 * `JobClient.prepare` (validation) and `queue.enqueueMany`, a single
 * enqueue is `JobClient.enqueue`, and the counts are `queue.stats()`.
 *
 * @param queue The queue; closed with the producer.
 * @returns The producer.
 */
export function netscriptProducer(queue: JobQueue): Producer {
  const client = createJobClient({ queue, jobs: [benchJob(() => {})] });
  return {
    setup: () => Promise.resolve(),
    enqueueMany: async (payloads) => {
      await queue.enqueueMany(payloads.map((payload) => client.prepare(JOB_NAME, payload)));
    },
    enqueueOne: async (payload) => {
      await client.enqueue(JOB_NAME, payload);
    },
    counts: async (): Promise<StoreCounts> => {
      const { completed, ...rest } = await queue.stats();
      return {
        completed,
        other: Object.fromEntries(Object.entries(rest).filter(([, count]) => count > 0)),
      };
    },
    close: () => queue.close(),
  };
}

/**
 * A NetScript worker with `createWorker`'s defaults over a counting queue.
 *
 * @param queue The queue; closed when the worker stops.
 * @param concurrency Jobs run at once.
 * @param handle Called at the start of every job.
 * @param options `claimAhead`, 0 (off) unless given.
 * @returns The worker, not started.
 */
export function netscriptWorker(
  queue: JobQueue,
  concurrency: number,
  handle: (payload: JobPayload) => void,
  options: { claimAhead?: number } = {},
): PreparedWorker {
  const counting = countingQueue(queue);
  return {
    start() {
      const worker = createWorker({
        queue: counting.queue,
        jobs: [benchJob(handle)],
        concurrency,
        claimAhead: options.claimAhead ?? 0,
      });
      const running = worker.start();
      return Promise.resolve({
        counters: counting.counters,
        async stop() {
          await worker.stop();
          await running;
          await queue.close();
        },
      });
    },
  };
}

/** The calls a worker made to its queue. */
interface QueueCounters {
  [name: string]: number;
  claimCalls: number;
  claimLimitSum: number;
  claimedJobs: number;
  emptyClaims: number;
  claimMs: number;
  completeCalls: number;
  completedJobs: number;
  completeMs: number;
  heartbeatCalls: number;
  waitForWorkCalls: number;
}

/**
 * Wraps a queue to count the calls a worker makes: claims (with the limit
 * asked for and the jobs returned), completion calls (and the jobs they
 * completed), heartbeats and waits, and the time spent waiting for claims
 * and completions.
 *
 * @param inner The queue.
 * @returns The counting queue and a snapshot of its counters.
 */
export function countingQueue(
  inner: JobQueue,
): { queue: JobQueue; counters: () => Record<string, number> } {
  const counters: QueueCounters = {
    claimCalls: 0,
    claimLimitSum: 0,
    claimedJobs: 0,
    emptyClaims: 0,
    claimMs: 0,
    completeCalls: 0,
    completedJobs: 0,
    completeMs: 0,
    heartbeatCalls: 0,
    waitForWorkCalls: 0,
  };
  const queue: JobQueue = {
    enqueue: (job) => inner.enqueue(job),
    enqueueMany: (jobs) => inner.enqueueMany(jobs),
    enqueueOnce: (key, job) => inner.enqueueOnce(key, job),
    watchStates: (watched) => inner.watchStates(watched),
    readStateEvents: (limit) => inner.readStateEvents(limit),
    removeStateEvents: (ids) => inner.removeStateEvents(ids),
    async claim(options) {
      const started = performance.now();
      const jobs = await inner.claim(options);
      counters.claimMs += performance.now() - started;
      counters.claimCalls++;
      counters.claimLimitSum += options.limit;
      counters.claimedJobs += jobs.length;
      if (jobs.length === 0) counters.emptyClaims++;
      return jobs;
    },
    heartbeat(workerId, ids, leaseMs) {
      counters.heartbeatCalls++;
      return inner.heartbeat(workerId, ids, leaseMs);
    },
    async complete(id, workerId) {
      const started = performance.now();
      const done = await inner.complete(id, workerId);
      counters.completeMs += performance.now() - started;
      counters.completeCalls++;
      counters.completedJobs++;
      return done;
    },
    async completeMany(ids, workerId) {
      const started = performance.now();
      const done = await inner.completeMany(ids, workerId);
      counters.completeMs += performance.now() - started;
      counters.completeCalls++;
      counters.completedJobs += ids.length;
      return done;
    },
    fail: (id, workerId, error, retryAt) => inner.fail(id, workerId, error, retryAt),
    release: (id, workerId) => inner.release(id, workerId),
    get: (id) => inner.get(id),
    list: (options) => inner.list(options),
    cancel: (id) => inner.cancel(id),
    retry: (id) => inner.retry(id),
    stats: () => inner.stats(),
    waitForWork(timeoutMs, signal) {
      counters.waitForWorkCalls++;
      return inner.waitForWork(timeoutMs, signal);
    },
    close: () => inner.close(),
  };
  return { queue, counters: () => ({ ...counters }) };
}
