import { deepEqual, equal, ok } from "node:assert/strict";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import type { JobRecord } from "../ports/job_queue.ts";
import { abortKind } from "./abort_reasons.ts";
import { RunningJobs } from "./running_jobs.ts";

/** Jobs claimed from a real memory queue. */
async function claimed(names: string[]): Promise<JobRecord[]> {
  const queue = new MemoryJobQueue();
  await queue.enqueueMany(names.map((name, i) => ({ name, input: i })));
  return await queue.claim({ workerId: "w", limit: names.length, leaseMs: 60_000, names });
}

Deno.test("RunningJobs counts slots and kinds, and frees a slot when an attempt ends", async () => {
  const [a, b, c] = await claimed(["export", "export", "mail"]) as [
    JobRecord,
    JobRecord,
    JobRecord,
  ];
  const running = new RunningJobs();
  const release = Promise.withResolvers<void>();
  for (const job of [a, b, c]) running.run(job, () => release.promise);
  equal(running.size, 3);
  equal(running.countOf("export"), 2);
  equal(running.countOf("mail"), 1);
  equal(running.countOf("other"), 0);
  deepEqual(running.leased().sort(), [a.id, b.id, c.id].sort());
  const freed = new Promise<void>((resolve) => running.freed.once(resolve));
  release.resolve();
  await freed;
  await running.finished();
  equal(running.size, 0);
  equal(running.countOf("export"), 0);
  ok(running.freed.count >= 3);
});

Deno.test("RunningJobs keeps a job's lease while its outcome is written", async () => {
  const [job] = await claimed(["mail"]) as [JobRecord];
  const running = new RunningJobs();
  const written = Promise.withResolvers<void>();
  running.run(job, () => {
    running.writing(job.id, written.promise);
    return Promise.resolve();
  });
  await running.finished();
  equal(running.size, 0, "the slot is free");
  deepEqual(running.leased(), [job.id], "the lease is still held");
  let idle = false;
  const idling = running.idle().then(() => idle = true);
  await Promise.resolve();
  equal(idle, false);
  written.resolve();
  await idling;
  deepEqual(running.leased(), []);
});

Deno.test("RunningJobs aborts an attempt whose job comes back, and every attempt on abortAll", async () => {
  const [job, other] = await claimed(["mail", "mail"]) as [JobRecord, JobRecord];
  const running = new RunningJobs();
  const signals: AbortSignal[] = [];
  const untilAborted = (controller: AbortController) => {
    signals.push(controller.signal);
    return new Promise<void>((resolve) =>
      controller.signal.addEventListener("abort", () => resolve())
    );
  };
  running.run(job, untilAborted);
  running.run(job, untilAborted);
  equal(abortKind(signals[0]!), "lease-lost", "the old attempt lost the job");
  equal(signals[1]!.aborted, false);
  running.run(other, untilAborted);
  running.abort("not-here", new Error("ignored"));
  running.abortAll(new Error("stop"));
  await running.idle();
  equal(running.size, 0);
  equal(running.countOf("mail"), 0);
  ok(signals.every((signal) => signal.aborted));
});
