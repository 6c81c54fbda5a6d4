import { deepEqual, equal, ok } from "node:assert/strict";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import type { JobRecord } from "../ports/job_queue.ts";
import { abortKind } from "./abort_reasons.ts";
import { ClaimedAhead } from "./claimed_ahead.ts";
import { createHeartbeat, extendLeases } from "./heartbeat.ts";
import { RunningJobs } from "./running_jobs.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };

/** Waits until `done()` holds, polling; fails after 5 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("the condition was not reached");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

Deno.test("extendLeases() extends what the worker holds, and aborts the attempts it lost", async () => {
  let now = new Date("2030-01-01T00:00:00Z");
  const queue = new MemoryJobQueue({ now: () => now });
  await queue.enqueueMany([0, 1, 2].map((n) => ({ name: "x", input: n })));
  const [kept, lost, writing] = await queue.claim({
    workerId: "w",
    limit: 3,
    leaseMs: 1_000,
    names: ["x"],
  }) as [JobRecord, JobRecord, JobRecord];
  const running = new RunningJobs();
  const signals = new Map<string, AbortSignal>();
  const done = Promise.withResolvers<void>();
  for (const job of [kept, lost]) {
    running.run(job, (controller) => {
      signals.set(job.id, controller.signal);
      return done.promise;
    });
  }
  running.writing(writing.id, done.promise);
  await queue.release(lost.id, "w");
  now = new Date(now.getTime() + 500);

  await extendLeases({
    queue,
    workerId: "w",
    running,
    ahead: new ClaimedAhead(),
    leaseMs: 60_000,
    logger: quiet,
  });

  for (const job of [kept, writing]) {
    deepEqual((await queue.get(job.id))!.leaseExpiresAt, new Date(now.getTime() + 60_000));
  }
  equal(signals.get(kept.id)!.aborted, false);
  equal(abortKind(signals.get(lost.id)!), "lease-lost");
  done.resolve();
  await running.idle();
});

/** A memory queue whose heartbeats fail. */
class UnreachableQueue extends MemoryJobQueue {
  override heartbeat(): Promise<string[]> {
    return Promise.reject(new Error("the store is down"));
  }
}

Deno.test("extendLeases() keeps the leases of jobs claimed ahead, and drops those it lost", async () => {
  let now = new Date("2030-01-01T00:00:00Z");
  const queue = new MemoryJobQueue({ now: () => now });
  await queue.enqueueMany([0, 1].map((n) => ({ name: "x", input: n })));
  const [kept, lost] = await queue.claim({
    workerId: "w",
    limit: 2,
    leaseMs: 1_000,
    names: ["x"],
  }) as [JobRecord, JobRecord];
  const ahead = new ClaimedAhead();
  ahead.add([kept, lost]);
  await queue.release(lost.id, "w");
  now = new Date(now.getTime() + 500);
  const warnings: unknown[] = [];
  await extendLeases({
    queue,
    workerId: "w",
    running: new RunningJobs(),
    ahead,
    leaseMs: 60_000,
    logger: { ...quiet, warn: (_msg: string, fields?: unknown) => void warnings.push(fields) },
  });
  deepEqual((await queue.get(kept.id))!.leaseExpiresAt, new Date(now.getTime() + 60_000));
  deepEqual(ahead.ids(), [kept.id]);
  deepEqual(warnings, [{ job: lost.id, name: "x" }]);
});

Deno.test("extendLeases() logs a heartbeat the store refuses, and aborts nothing", async () => {
  const queue = new UnreachableQueue();
  await queue.enqueue({ name: "x", input: 0 });
  const [job] = await queue.claim({ workerId: "w", limit: 1, leaseMs: 1_000, names: ["x"] });
  const running = new RunningJobs();
  const done = Promise.withResolvers<void>();
  let signal: AbortSignal | undefined;
  running.run(job!, (controller) => {
    signal = controller.signal;
    return done.promise;
  });
  const warned: unknown[] = [];
  await extendLeases({
    queue,
    workerId: "w",
    running,
    ahead: new ClaimedAhead(),
    leaseMs: 1_000,
    logger: { ...quiet, warn: (msg: string, fields?: unknown) => void warned.push([msg, fields]) },
  });
  deepEqual(warned, [["cannot extend job leases", { error: "Error: the store is down", jobs: 1 }]]);
  equal(signal!.aborted, false);
  done.resolve();
  await running.idle();
});

Deno.test("extendLeases() calls no store when the worker holds nothing", async () => {
  await extendLeases({
    queue: new UnreachableQueue(),
    workerId: "w",
    running: new RunningJobs(),
    ahead: new ClaimedAhead(),
    leaseMs: 1_000,
    logger: { ...quiet, warn: () => ok(false, "no heartbeat expected") },
  });
});

Deno.test("createHeartbeat() beats between start and stop, at the interval read on restart", async () => {
  let beats = 0;
  let interval = 60_000;
  const heartbeat = createHeartbeat(() => beats++, () => interval);
  heartbeat.restart();
  heartbeat.start();
  heartbeat.start();
  equal(beats, 0);
  interval = 1;
  heartbeat.restart();
  await until(() => beats >= 3);
  heartbeat.stop();
  const stoppedAt = beats;
  await new Promise((resolve) => setTimeout(resolve, 10));
  equal(beats, stoppedAt, "no beat after stop");
  heartbeat.restart();
  equal(beats, stoppedAt, "a stopped heartbeat stays stopped on restart");
});
