import { deepEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob } from "../dsl/define_job.ts";
import type { JobRecord } from "../ports/job_queue.ts";
import { leaseLostReason, shutdownReason } from "./abort_reasons.ts";
import type { AttemptResult } from "./run_attempt.ts";
import { recordOutcome, settleOutcome, type WorkerEvent } from "./settle_outcome.ts";

/** A logger that keeps its lines. */
function lines() {
  const seen: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void seen.push({ level, msg, ...(fields ? { fields } : {}) });
  return {
    seen,
    logger: {
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      enabled: () => true,
    },
  };
}

const flaky = defineJob({
  name: "flaky",
  input: z.object({}),
  handler: () => {},
  retry: { attempts: 3, backoff: "fixed", delay: 60_000 },
});

/** A queue holding one `flaky` job, claimed by worker `w`, and a context settling into it. */
async function setup(queue = new MemoryJobQueue()) {
  const { id } = await queue.enqueue({ name: "flaky", input: {}, maxAttempts: 3 });
  const [job] = await queue.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["flaky"] });
  const events: WorkerEvent[] = [];
  const log = lines();
  const context = {
    queue,
    workerId: "w",
    complete: (jobId: string) => queue.complete(jobId, "w"),
    logger: log.logger,
    emit: (event: WorkerEvent) => void events.push(event),
  };
  const settle = (result: AttemptResult, options: { job?: JobRecord; abort?: unknown } = {}) => {
    const controller = new AbortController();
    if (options.abort !== undefined) controller.abort(options.abort);
    return settleOutcome(context, {
      job: options.job ?? job!,
      definition: flaky,
      signal: controller.signal,
      result,
      durationMs: 5,
    });
  };
  return { queue, id, job: job!, events, log, context, settle };
}

const failed = (final = false): AttemptResult => ({ ok: false, error: new Error("boom"), final });

Deno.test("settleOutcome() completes a job whose attempt succeeded", async () => {
  const { queue, id, events, settle } = await setup();
  await settle({ ok: true });
  equal((await queue.get(id))!.state, "completed");
  deepEqual(events.map((e) => [e.type, e.durationMs]), [["completed", 5]]);
});

Deno.test("settleOutcome() retries a failed attempt after the job's backoff", async () => {
  const { queue, id, events, log, settle } = await setup();
  const before = Date.now();
  await settle(failed());
  const record = (await queue.get(id))!;
  equal(record.state, "failed");
  equal(record.lastError, "boom");
  ok(record.runAt.getTime() >= before + 60_000, "not before the fixed delay");
  deepEqual(events.map((e) => [e.type, e.error]), [["retrying", "boom"]]);
  equal(log.seen.at(-1)!.msg, "job attempt failed");
  equal(log.seen.at(-1)!.fields!.retryAt, record.runAt.toISOString());
});

Deno.test("settleOutcome() sends the last attempt, or a final failure, to the dead letters", async (t) => {
  await t.step("a final failure with attempts left", async () => {
    const { queue, id, events, log, settle } = await setup();
    await settle(failed(true));
    equal((await queue.get(id))!.state, "dead");
    equal(events[0]!.type, "dead");
    equal(log.seen.at(-1)!.level, "error");
  });
  await t.step("the last attempt", async () => {
    const { queue, id, job, events, settle } = await setup();
    await settle(failed(), { job: { ...job, attempts: job.maxAttempts } });
    equal((await queue.get(id))!.state, "dead");
    equal(events[0]!.type, "dead");
  });
});

Deno.test("settleOutcome() gives a job back at shutdown without counting the attempt", async () => {
  const { queue, id, events, settle } = await setup();
  await settle(failed(), { abort: shutdownReason() });
  const record = (await queue.get(id))!;
  equal(record.state, "queued");
  equal(record.attempts, 0);
  equal(events[0]!.type, "released");
});

Deno.test("settleOutcome() writes nothing for a lost lease, or a job another worker holds", async (t) => {
  await t.step("aborted for a lost lease", async () => {
    const { queue, id, events, settle } = await setup();
    await settle({ ok: true }, { abort: leaseLostReason(id) });
    equal((await queue.get(id))!.state, "running");
    equal(events[0]!.type, "lease-lost");
  });
  for (const result of [{ ok: true } as const, failed()]) {
    await t.step(
      `taken over before the ${result.ok ? "completion" : "failure"} was written`,
      async () => {
        const { queue, id, events, settle } = await setup();
        await queue.release(id, "w");
        await queue.claim({ workerId: "other", limit: 1, leaseMs: 60_000, names: ["flaky"] });
        await settle(result);
        equal((await queue.get(id))!.leaseOwner, "other");
        equal(events[0]!.type, "lease-lost");
      },
    );
  }
});

/** A memory queue whose failures cannot be written. */
class UnwritableQueue extends MemoryJobQueue {
  override fail(): Promise<boolean> {
    return Promise.reject(new Error("the store is down"));
  }
}

Deno.test("recordOutcome() logs an outcome the store cannot take, and resolves", async () => {
  const { id, events, log, context, job } = await setup(new UnwritableQueue());
  await recordOutcome(context, {
    job,
    definition: flaky,
    signal: new AbortController().signal,
    result: failed(),
    durationMs: 1,
  });
  deepEqual(events, []);
  const line = log.seen.at(-1)!;
  equal(line.level, "error");
  ok(line.msg.startsWith("cannot record a job's outcome"));
  equal(line.fields!.job, id);
  equal(line.fields!.error, "Error: the store is down");
});
