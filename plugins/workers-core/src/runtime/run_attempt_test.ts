import { equal, ok } from "node:assert/strict";
import { z } from "zod";
import { isNetScriptError } from "@netscript/contracts/errors";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob, type JobDefinition } from "../dsl/define_job.ts";
import type { JobRecord, NewJob } from "../ports/job_queue.ts";
import { runAttempt } from "./run_attempt.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };

/** Claims one job from a real memory queue and runs an attempt of it. */
async function attempt(
  definition: JobDefinition,
  job: Partial<NewJob> = {},
  edit: (record: JobRecord) => JobRecord = (record) => record,
) {
  const queue = new MemoryJobQueue();
  await queue.enqueue({ name: definition.name, input: {}, maxAttempts: 3, ...job });
  const [claimed] = await queue.claim({
    workerId: "w",
    limit: 1,
    leaseMs: 60_000,
    names: [definition.name],
  });
  const controller = new AbortController();
  const run = runAttempt(edit(claimed!), { definition, controller, logger: quiet });
  return { controller, run };
}

Deno.test("runAttempt() calls the handler with the parsed input and its context", async () => {
  let seen: unknown;
  const greet = defineJob({
    name: "greet",
    input: z.object({ name: z.string().trim() }),
    handler: (input, context) =>
      void (seen = { input, attempt: context.attempt, name: context.name }),
  });
  const { run } = await attempt(greet, { input: { name: " Ada " } });
  const { result, durationMs } = await run;
  equal(result.ok, true);
  ok(durationMs >= 0);
  equal(
    JSON.stringify(seen),
    JSON.stringify({ input: { name: "Ada" }, attempt: 1, name: "greet" }),
  );
});

Deno.test("runAttempt() fails, for a retry, when the handler throws", async () => {
  const broken = defineJob({
    name: "broken",
    input: z.object({}),
    handler: () => {
      throw new Error("boom");
    },
  });
  const { result } = await (await attempt(broken)).run;
  equal(result.ok, false);
  if (result.ok) return;
  equal((result.error as Error).message, "boom");
  equal(result.final, false);
});

Deno.test("runAttempt() ends at the timeout, even when the handler ignores its signal", async () => {
  let release = () => {};
  const stubborn = defineJob({
    name: "stubborn",
    input: z.object({}),
    timeout: 20,
    handler: () => new Promise<void>((resolve) => release = resolve),
  });
  const { controller, run } = await attempt(stubborn);
  const { result } = await run;
  release();
  ok(controller.signal.aborted);
  ok(!result.ok && isNetScriptError(result.error, "WORKERS_JOB_TIMEOUT") && !result.final);
});

Deno.test("runAttempt() ends when its controller aborts", async () => {
  const endless = defineJob({
    name: "endless",
    input: z.object({}),
    handler: () => new Promise(() => {}),
  });
  const { controller, run } = await attempt(endless);
  controller.abort(new Error("taken away"));
  const { result } = await run;
  ok(!result.ok && (result.error as Error).message === "taken away");
});

Deno.test("runAttempt() fails for good, without running, on a stale input or no attempts left", async (t) => {
  let ran = false;
  const strict = defineJob({
    name: "strict",
    input: z.object({ n: z.number() }),
    handler: () => void (ran = true),
  });
  await t.step("the stored input no longer matches the schema", async () => {
    const { result } = await (await attempt(strict, { input: { n: "one" } })).run;
    ok(!result.ok && result.final && isNetScriptError(result.error, "WORKERS_INVALID_INPUT"));
  });
  await t.step("reclaimed after its last attempt", async () => {
    const { result } = await (await attempt(
      strict,
      { input: { n: 1 }, maxAttempts: 1 },
      (job) => ({ ...job, attempts: 2 }),
    )).run;
    ok(!result.ok && result.final && isNetScriptError(result.error, "WORKERS_ATTEMPTS_EXHAUSTED"));
  });
  equal(ran, false);
});
