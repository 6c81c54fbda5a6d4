/**
 * Type-level tests: definitions keep their literal names and input types,
 * and a schedule's input is checked against its job's. Checked by the
 * compiler when this file is type-checked.
 */
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { defineJob, type JobDefinition } from "./define_job.ts";
import { defineSchedule, type ScheduleDefinition } from "./define_schedule.ts";
import { type JobFile, type JobsOf, jobsOf } from "./job_list.ts";

const greetInput = z.object({ name: z.string(), times: z.number().default(1) });
const greet = defineJob({ name: "greet", input: greetInput, handler: () => {} });
const resize = defineJob({ name: "resize", input: z.url(), handler: () => {} });

Deno.test("defineJob() keeps the literal name and the input schema", () => {
  expectTypeOf(greet).toEqualTypeOf<JobDefinition<typeof greetInput, "greet">>();
  expectTypeOf(greet.name).toEqualTypeOf<"greet">();
  expectTypeOf<z.input<typeof greet.input>>().toEqualTypeOf<
    { name: string; times?: number | undefined }
  >();
  expectTypeOf(greet).toExtend<JobDefinition>();
  const dynamic = defineJob({ name: String("a"), input: z.string(), handler: () => {} });
  expectTypeOf(dynamic.name).toEqualTypeOf<string>();
});

Deno.test("defineJob() types the handler's input and uniqueKey from the schema", () => {
  defineJob({
    name: "typed",
    input: greetInput,
    handler: (input) => expectTypeOf(input).toEqualTypeOf<{ name: string; times: number }>(),
    uniqueKey: (input) => input.name,
  });
});

Deno.test("defineSchedule() keeps its job's type and name", () => {
  const nightly = defineSchedule({
    name: "nightly",
    cron: "0 3 * * *",
    job: greet,
    input: { name: "ops" },
  });
  expectTypeOf(nightly).toEqualTypeOf<ScheduleDefinition<typeof greet, "nightly">>();
  expectTypeOf(nightly.input).toEqualTypeOf<{ name: string; times: number }>();
  expectTypeOf(nightly.job.name).toEqualTypeOf<"greet">();
  expectTypeOf(nightly).toExtend<ScheduleDefinition>();
});

Deno.test("jobsOf() and JobsOf take definitions or definition files alike", () => {
  const files = [
    { file: "jobs/greet.ts", definition: greet },
    { file: "jobs/resize.ts", definition: resize },
  ] as const;
  expectTypeOf(jobsOf(files)).toEqualTypeOf<(typeof greet | typeof resize)[]>();
  expectTypeOf(jobsOf([greet, resize])).toEqualTypeOf<(typeof greet | typeof resize)[]>();
  expectTypeOf<JobsOf<readonly JobFile[]>>().toEqualTypeOf<JobDefinition>();
  expectTypeOf<JobsOf<readonly JobDefinition[]>>().toEqualTypeOf<JobDefinition>();
});

Deno.test("the compiler refuses a schedule input of the wrong type", () => {
  expectTypeOf(misuse).toBeFunction();
});

/** Never called: only compiled. */
function misuse() {
  defineSchedule({
    name: "wrong",
    cron: "* * * * *",
    job: greet,
    // @ts-expect-error: name must be a string
    input: { name: 42 },
  });
  // @ts-expect-error: input is required
  defineSchedule({ name: "missing", cron: "* * * * *", job: greet });
  // @ts-expect-error: not a job definition
  jobsOf([{ file: "jobs/x.ts", definition: { kind: "schedule" } }]);
}
