/**
 * The latency part of `deno task bench:triggers`, all in this process so
 * one clock (`performance.now()`) times both ends: `triggers-api` served
 * over real HTTP on a free port, a dispatcher and a worker, the delivery
 * store and the job queue both on PostgreSQL, woken by its
 * `LISTEN`/`NOTIFY`. Webhooks are sent one at a time; each sample is the
 * time from sending the request to the job's handler starting.
 *
 * @module
 */
import { createDispatcher, triggersByName } from "@netscript/plugin-triggers-core";
import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
import { createTriggersService } from "@netscript/plugin-triggers";
import { createJobClient, createWorker, defineJob } from "@netscript/plugin-workers-core";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { percentile } from "../workers/statistics.ts";
import { benchHook, BenchPayload, benchSecrets, signedWebhook } from "./definitions.ts";

/** Latency figures, in milliseconds. */
export interface LatencyResult {
  /** Webhooks measured. */
  readonly webhooks: number;
  /** Received → handler started, median. */
  readonly p50Ms: number;
  /** Received → handler started, 99th percentile. */
  readonly p99Ms: number;
  /** Received → handler started, slowest. */
  readonly maxMs: number;
  /** Request sent → 202 answered, median. */
  readonly answerP50Ms: number;
  /** Request sent → 202 answered, 99th percentile. */
  readonly answerP99Ms: number;
}

/**
 * Sends `warmup` then `webhooks` webhooks one at a time and times each to its job's start.
 *
 * @param databaseUrl A database with the triggers and workers tables.
 * @param webhooks How many to measure.
 * @param warmup How many to send first, not counted.
 * @returns The figures.
 */
export async function measureLatency(
  databaseUrl: string,
  webhooks: number,
  warmup: number,
): Promise<LatencyResult> {
  const logger = createLogger({ service: "bench-triggers", sink: () => {} });
  const started = new Map<number, (at: number) => void>();
  const job = defineJob({
    name: "timed",
    input: BenchPayload,
    handler: ({ n }) => started.get(n)?.(performance.now()),
  });
  const triggers = triggersByName([{ file: "triggers/bench.ts", definition: benchHook(job) }]);
  const store = createPostgresDeliveryStore({ url: databaseUrl, logger });
  const queue = createPostgresJobQueue({ url: databaseUrl, logger });
  const service = createTriggersService({ store, triggers, env: benchSecrets, logger });
  const server = service.serve({ port: 0, handleSignals: false });
  const dispatcher = createDispatcher({
    store,
    triggers,
    jobs: createJobClient({ queue, jobs: [job] }),
    logger,
  });
  const worker = createWorker({ queue, jobs: [job], logger });
  const running = [dispatcher.start(), worker.start()];
  try {
    const base = server.url.origin;
    const toStart: number[] = [];
    const toAnswer: number[] = [];
    for (let n = 0; n < warmup + webhooks; n++) {
      const jobStarted = new Promise<number>((resolve) => started.set(n, resolve));
      const request = await signedWebhook(base, n);
      const sent = performance.now();
      const answer = await fetch(request);
      const answered = performance.now();
      await answer.body?.cancel();
      if (answer.status !== 202) throw new Error(`Webhook ${n} was answered ${answer.status}`);
      const at = await jobStarted;
      started.delete(n);
      if (n < warmup) continue;
      toStart.push(at - sent);
      toAnswer.push(answered - sent);
    }
    toStart.sort((a, b) => a - b);
    toAnswer.sort((a, b) => a - b);
    return {
      webhooks,
      p50Ms: percentile(toStart, 50),
      p99Ms: percentile(toStart, 99),
      maxMs: toStart.at(-1) ?? NaN,
      answerP50Ms: percentile(toAnswer, 50),
      answerP99Ms: percentile(toAnswer, 99),
    };
  } finally {
    await Promise.all([dispatcher.stop(), worker.stop()]);
    await Promise.all(running);
    await server.shutdown();
    await store.close();
    await queue.close();
  }
}
