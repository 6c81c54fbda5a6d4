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

Deno.test("loadDefinitions() names the file that exports something else, or schedules an unknown job", () => {
  const cases = [
    { code: "WORKERS_NOT_A_JOB", input: { jobs: [{ file: "jobs/x.ts", definition: 42 }] } },
    {
      code: "WORKERS_NOT_A_SCHEDULE",
      input: { jobs: [], schedules: [{ file: "schedules/x.ts", definition: report }] },
    },
    {
      code: "WORKERS_SCHEDULE_JOB_UNKNOWN",
      input: { jobs: [], schedules: [{ file: "schedules/x.ts", definition: nightly }] },
    },
  ];
  for (const { code, input } of cases) {
    throws(
      () => loadDefinitions(input),
      (error) => isNetScriptError(error, code) && error.message.includes("x.ts"),
      code,
    );
  }
});
