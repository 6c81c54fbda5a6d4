import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { z } from "zod";
import { isNetScriptError } from "@netscript/contracts/errors";
import { defineJob, isJobDefinition } from "./define_job.ts";
import { defineSchedule, isScheduleDefinition } from "./define_schedule.ts";
import { retryDelay } from "../runtime/backoff.ts";

const ping = defineJob({ name: "ping", input: z.object({ n: z.number() }), handler: () => {} });

Deno.test("defineJob fills in defaults and freezes the definition", () => {
  ok(isJobDefinition(ping));
  deepEqual(ping.retry, { attempts: 3, backoff: "exponential", delay: 1000, maxDelay: 3_600_000 });
  equal(ping.timeout, null);
  equal(ping.priority, 0);
  equal(ping.concurrency, null);
  ok(Object.isFrozen(ping));
});

Deno.test("defineJob names every invalid option", () => {
  throws(
    () =>
      defineJob({
        name: "Bad Name",
        input: z.string(),
        handler: () => {},
        retry: { attempts: 0, delay: -1 },
        timeout: 0,
        concurrency: 1.5,
      }),
    (error) => {
      ok(isNetScriptError(error, "WORKERS_INVALID_JOB"));
      const problems = error.details.problems as string[];
      for (const field of ["name", "retry.attempts", "retry.delay", "timeout", "concurrency"]) {
        ok(problems.some((p) => p.startsWith(field)), `${field} in ${problems.join("; ")}`);
      }
      return true;
    },
  );
});

Deno.test("retryDelay grows exponentially up to maxDelay, or stays fixed", () => {
  const exponential = { attempts: 9, backoff: "exponential", delay: 100, maxDelay: 1000 } as const;
  deepEqual([1, 2, 3, 4, 5].map((a) => retryDelay(exponential, a)), [100, 200, 400, 800, 1000]);
  deepEqual([1, 4].map((a) => retryDelay({ ...exponential, backoff: "fixed" }, a)), [100, 100]);
});

Deno.test("defineSchedule validates the cron pattern, the time zone and the input", () => {
  const schedule = defineSchedule({
    name: "nightly",
    cron: "0 3 * * *",
    timezone: "Europe/Paris",
    job: ping,
    input: { n: 1 },
  });
  ok(isScheduleDefinition(schedule));
  equal(
    schedule.nextTick(new Date("2026-07-01T12:00:00Z"))!.toISOString(),
    "2026-07-02T01:00:00.000Z",
    "03:00 in Paris in summer",
  );
  equal(
    schedule.latestTick(new Date("2026-07-01T00:00:00Z"), new Date("2026-07-03T00:00:00Z"))!
      .toISOString(),
    "2026-07-02T01:00:00.000Z",
  );
  for (
    const bad of [
      { cron: "not a cron" },
      { timezone: "Mars/Olympus" },
      { input: { n: "one" } },
      { name: "UPPER" },
    ]
  ) {
    throws(
      () =>
        defineSchedule(
          { name: "s", cron: "* * * * *", job: ping, input: { n: 1 }, ...bad } as never,
        ),
      (error) => isNetScriptError(error, "WORKERS_INVALID_SCHEDULE"),
      JSON.stringify(bad),
    );
  }
});
