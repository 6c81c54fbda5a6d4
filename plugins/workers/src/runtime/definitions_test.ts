import { deepEqual, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { defineJob, defineSchedule } from "@netscript/plugin-workers-core";
import { z } from "zod";
import { loadDefinitions } from "./definitions.ts";

const report = defineJob({ name: "report", input: z.object({}), handler: () => {} });
const nightly = defineSchedule({ name: "nightly", cron: "0 3 * * *", job: report, input: {} });

Deno.test("loadDefinitions() returns the definitions of jobs/ and schedules/", () => {
  const loaded = loadDefinitions({
    jobs: [{ file: "jobs/report.ts", definition: report }],
    schedules: [{ file: "schedules/nightly.ts", definition: nightly }],
  });
  deepEqual(loaded.jobs.map((j) => j.name), ["report"]);
  deepEqual(loaded.schedules.map((s) => s.name), ["nightly"]);
});

Deno.test("loadDefinitions() names the schedule whose job no file under jobs/ defines", () => {
  throws(
    () =>
      loadDefinitions({ jobs: [], schedules: [{ file: "schedules/x.ts", definition: nightly }] }),
    (error) =>
      isNetScriptError(error, "WORKERS_SCHEDULE_JOB_UNKNOWN") && error.message.includes("x.ts") &&
      error.details.job === "report",
  );
});

Deno.test("loadDefinitions() refuses entries that hold no definition, naming the file", () => {
  throws(
    () =>
      loadDefinitions({ jobs: [], schedules: [{ file: "schedules/x.ts", definition: report }] }),
    (error) => error instanceof TypeError && error.message.includes("schedules/x.ts"),
  );
  throws(
    () =>
      loadDefinitions({
        jobs: [{ file: "jobs/x.ts", definition: 42 }] as unknown as [],
      }),
    (error) => error instanceof TypeError && error.message.includes("jobs/x.ts"),
  );
});
