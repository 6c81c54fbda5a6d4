import { deepEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob } from "../dsl/define_job.ts";
import type { JobRecord } from "../ports/job_queue.ts";
import { type ClaimLoopOptions, claimRound, runClaimLoop } from "./claim_loop.ts";
import { ClaimedAhead } from "./claimed_ahead.ts";
import { jobsByName } from "./job_client.ts";
import { RunningJobs } from "./running_jobs.ts";
import { Wakeup } from "./wakeup.ts";
import { resolveWorkerLimits, updateWorkerLimits } from "./worker_limits.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
const mail = defineJob({ name: "mail", input: z.number(), handler: () => {} });
const report = defineJob({ name: "report", input: z.number(), handler: () => {}, concurrency: 1 });

/** Waits until `done()` holds, polling; fails after 5 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("the condition was not reached");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * A claim loop's parts on a real memory queue: launched jobs run until
 * `finish(id)`. Poll and idle waits are long, so only wake-ups move it.
 */
function harness(queue = new MemoryJobQueue(), concurrency = 2) {
  let limits = resolveWorkerLimits({ concurrency, pollMs: 60_000, leaseMs: 5_000 });
  const running = new RunningJobs();
  const launched: JobRecord[] = [];
  const finishers = new Map<string, () => void>();
  const stopping = new AbortController();
  const reconfigured = new Wakeup();
  const options: ClaimLoopOptions = {
    queue,
    workerId: "w",
    jobs: jobsByName([mail, report]),
    running,
    ahead: new ClaimedAhead(),
    limits: () => limits,
    launch: (job) => {
      launched.push(job);
      running.run(job, () => new Promise<void>((resolve) => finishers.set(job.id, resolve)));
    },
    reconfigured,
    logger: quiet,
    signal: stopping.signal,
  };
  return {
    queue,
    options,
    running,
    launched,
    finish: (id: string) => finishers.get(id)!(),
    configure: (update: { concurrency?: number; leaseMs?: number }) => {
      limits = updateWorkerLimits(limits, update);
      reconfigured.fire();
    },
    async stop() {
      stopping.abort();
      for (const finish of finishers.values()) finish();
      await running.idle();
    },
  };
}

Deno.test("claimRound() claims as many as the free slots allow, with the current lease", async () => {
  const h = harness();
  await h.queue.enqueueMany([1, 2, 3].map((n) => ({ name: "mail", input: n })));
  deepEqual(await claimRound(h.options), { more: true });
  equal(h.launched.length, 2);
  const [first] = h.launched as [JobRecord];
  equal(first.leaseExpiresAt!.getTime() - first.updatedAt.getTime(), 5_000);
  deepEqual(await claimRound(h.options), { more: false }, "no slot free: no claim");
  h.configure({ concurrency: 4, leaseMs: 9_000 });
  deepEqual(await claimRound(h.options), { more: false }, "one left for two slots");
  const third = h.launched[2]!;
  equal(third.leaseExpiresAt!.getTime() - third.updatedAt.getTime(), 9_000);
  await h.stop();
});

Deno.test("claimRound() keeps a kind's own limit", async () => {
  const h = harness(new MemoryJobQueue(), 5);
  await h.queue.enqueueMany([1, 2, 3].map((n) => ({ name: "report", input: n })));
  await claimRound(h.options);
  await claimRound(h.options);
  equal(h.launched.length, 1);
  equal(h.running.countOf("report"), 1);
  await h.stop();
});

Deno.test("runClaimLoop() claims again when a slot frees, and at once when work arrives", async () => {
  const h = harness(new MemoryJobQueue(), 1);
  await h.queue.enqueueMany([1, 2].map((n) => ({ name: "mail", input: n })));
  const loop = runClaimLoop(h.options);
  await until(() => h.launched.length === 1);
  h.finish(h.launched[0]!.id);
  await until(() => h.launched.length === 2);
  h.finish(h.launched[1]!.id);
  await h.queue.enqueue({ name: "mail", input: 3 });
  await until(() => h.launched.length === 3);
  await h.stop();
  await loop;
});

Deno.test("runClaimLoop() claims more as soon as the concurrency is raised", async () => {
  const h = harness(new MemoryJobQueue(), 1);
  await h.queue.enqueueMany([1, 2, 3, 4].map((n) => ({ name: "mail", input: n })));
  const loop = runClaimLoop(h.options);
  await until(() => h.launched.length === 1);
  h.configure({ concurrency: 3 });
  await until(() => h.launched.length === 3);
  equal(h.running.size, 3);
  h.configure({ concurrency: 1 });
  for (const job of h.launched.slice(0, 2)) h.finish(job.id);
  await until(() => h.running.size === 1);
  equal(h.launched.length, 3, "no claim while above the lowered limit");
  h.finish(h.launched[2]!.id);
  await until(() => h.launched.length === 4);
  await h.stop();
  await loop;
});

/** A memory queue whose claims fail until `healed`. */
class FlakyQueue extends MemoryJobQueue {
  healed = false;
  override claim(...args: Parameters<MemoryJobQueue["claim"]>): Promise<JobRecord[]> {
    return this.healed ? super.claim(...args) : Promise.reject(new Error("the store is down"));
  }
}

Deno.test("runClaimLoop() logs a failed claim and tries again after pollMs", async () => {
  const queue = new FlakyQueue();
  const h = harness(queue, 1);
  const errors: unknown[] = [];
  const options = {
    ...h.options,
    limits: () => resolveWorkerLimits({ pollMs: 1 }),
    logger: { ...quiet, error: (msg: string, fields?: unknown) => void errors.push([msg, fields]) },
  };
  await queue.enqueue({ name: "mail", input: 1 });
  const loop = runClaimLoop(options);
  await until(() => errors.length >= 2);
  deepEqual(errors[0], ["cannot claim jobs; retrying", { error: "Error: the store is down" }]);
  queue.healed = true;
  await until(() => h.launched.length === 1);
  await h.stop();
  await loop;
  ok(h.running.size === 0);
});
