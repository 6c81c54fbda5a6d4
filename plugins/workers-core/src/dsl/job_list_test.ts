import { deepEqual, throws } from "node:assert/strict";
import { z } from "zod";
import { defineJob } from "./define_job.ts";
import { jobsOf } from "./job_list.ts";

const greet = defineJob({ name: "greet", input: z.string(), handler: () => {} });
const resize = defineJob({ name: "resize", input: z.url(), handler: () => {} });

Deno.test("jobsOf() takes definitions, or the files of a generated definitions module", () => {
  deepEqual(jobsOf([greet, resize]), [greet, resize]);
  deepEqual(
    jobsOf([
      { file: "jobs/greet.ts", definition: greet },
      { file: "jobs/resize.ts", definition: resize },
    ]),
    [greet, resize],
  );
  deepEqual(jobsOf([]), []);
});

Deno.test("jobsOf() refuses an entry that holds no job definition, naming it", () => {
  throws(
    () => jobsOf([{ file: "jobs/helper.ts", definition: { kind: "schedule" } }] as never),
    new TypeError(
      '"jobs/helper.ts" of the jobs list does not hold a job definition; end the file with export default defineJob({ … })',
    ),
  );
  throws(
    () => jobsOf([greet, "greet"] as never),
    /^TypeError: Entry 1 of the jobs list is not a job definition; pass defineJob\(…\) results/,
  );
});
