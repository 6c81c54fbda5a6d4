import { deepEqual, equal } from "node:assert/strict";
import { z } from "zod";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob } from "../dsl/define_job.ts";
import { defineSchedule } from "../dsl/define_schedule.ts";
import { createJobClient } from "./job_client.ts";
import { createScheduler } from "./scheduler.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
const report = defineJob({
  name: "report",
  input: z.object({ team: z.string() }),
  handler: () => {},
});
const everyMinute = defineSchedule({
  name: "minutely",
  cron: "* * * * *",
  job: report,
  input: { team: "ops" },
});

function setup(start: string) {
  const queue = new MemoryJobQueue();
  let now = new Date(start);
  const make = () =>
    createScheduler({
      store: queue,
      client: createJobClient({ queue, jobs: [report] }),
      schedules: [everyMinute],
      logger: quiet,
      now: () => now,
    });
  return { queue, make, at: (iso: string) => now = new Date(iso) };
}

Deno.test("a schedule fires at its first tick after start, then once per tick", async () => {
  const { queue, make, at } = setup("2026-03-01T10:00:30Z");
  const scheduler = make();
  deepEqual(await scheduler.check(), [], "no tick since start");
  at("2026-03-01T10:01:00.200Z");
  const [fired] = await scheduler.check();
  equal(fired!.tick.toISOString(), "2026-03-01T10:01:00.000Z");
  deepEqual(await scheduler.check(), [], "the same tick does not fire twice");
  at("2026-03-01T10:02:05Z");
  equal((await scheduler.check()).length, 1);
  const jobs = await queue.list({ name: "report" });
  equal(jobs.total, 2);
  deepEqual(jobs.items[0]!.input, { team: "ops" });
});

Deno.test("several schedulers on one store fire each tick once", async () => {
  const { queue, make, at } = setup("2026-03-01T10:00:30Z");
  const schedulers = [make(), make(), make()];
  at("2026-03-01T10:01:00Z");
  const fired = (await Promise.all(schedulers.map((s) => s.check()))).flat();
  equal(fired.length, 1);
  equal((await queue.list()).total, 1);
});

Deno.test("after downtime only the latest missed tick fires", async () => {
  const { queue, make, at } = setup("2026-03-01T10:00:30Z");
  const first = make();
  at("2026-03-01T10:01:10Z");
  equal((await first.check()).length, 1);
  await first.stop();
  at("2026-03-01T10:45:10Z");
  const fired = await make().check();
  deepEqual(fired.map((f) => f.tick.toISOString()), ["2026-03-01T10:45:00.000Z"]);
  equal((await queue.list()).total, 2);
});
