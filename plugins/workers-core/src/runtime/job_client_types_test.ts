/**
 * Type-level tests: a job client is typed by the jobs it is given, so an
 * unknown name or a wrong payload does not compile. Checked by the compiler
 * when this file is type-checked.
 */
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob, type JobDefinition } from "../dsl/define_job.ts";
import type { NewJob } from "../ports/job_queue.ts";
import { createJobClient, type EnqueueArgs, type JobClient } from "./job_client.ts";
import { createScheduler } from "./scheduler.ts";

const greet = defineJob({
  name: "greet",
  input: z.object({ name: z.string() }),
  handler: () => {},
});
const resize = defineJob({
  name: "resize",
  input: z.object({ url: z.url(), width: z.int().default(320) }),
  handler: () => {},
});
const queue = new MemoryJobQueue();

Deno.test("createJobClient() is typed by the definitions it is given", () => {
  const client = createJobClient({ queue, jobs: [greet, resize] });
  expectTypeOf(client).toEqualTypeOf<JobClient<typeof greet | typeof resize>>();
  expectTypeOf(client.jobs).toEqualTypeOf<ReadonlyMap<string, typeof greet | typeof resize>>();
  expectTypeOf(client.enqueue).parameters.toEqualTypeOf<
    EnqueueArgs<typeof greet | typeof resize>
  >();
});

Deno.test("createJobClient() takes a generated definitions module's files with their types", () => {
  // What `.netscript/definitions/<plugin>.ts` exports: literal paths, typed definitions.
  const jobs = [
    { file: "jobs/greet.ts", definition: greet },
    { file: "jobs/resize.ts", definition: resize },
  ] as const;
  const client = createJobClient({ queue, jobs });
  expectTypeOf(client).toEqualTypeOf<JobClient<typeof greet | typeof resize>>();
  const untyped: readonly { file: string; definition: JobDefinition }[] = jobs;
  expectTypeOf(createJobClient({ queue, jobs: untyped })).toEqualTypeOf<JobClient>();
});

Deno.test("a typed client passes where any client is expected", () => {
  const client = createJobClient({ queue, jobs: [greet] });
  const any: JobClient = client;
  expectTypeOf(any.enqueue).toBeCallableWith("whatever", 42);
  expectTypeOf(any.prepare).returns.toEqualTypeOf<NewJob>();
  createScheduler({ store: queue, client, schedules: [] });
  const wide = createJobClient({ queue, jobs: [greet] as JobDefinition[] });
  expectTypeOf(wide).toEqualTypeOf<JobClient>();
  const job: string | JobDefinition = greet;
  expectTypeOf(wide.enqueue).toBeCallableWith(job, { anything: true });
});

Deno.test("enqueue() and prepare() check the name and the payload", () => {
  expectTypeOf(misuse).toBeFunction();
});

/** Never called: only compiled. */
async function misuse() {
  const client = createJobClient({ queue, jobs: [greet, resize] });
  await client.enqueue("greet", { name: "Ada" });
  await client.enqueue("resize", { url: "https://example.com/a.png" }, { priority: 2 });
  await client.enqueue(greet, { name: "Ada" }, { runAt: new Date() });
  client.prepare("resize", { url: "https://example.com/a.png", width: 64 });

  // @ts-expect-error: name must be a string
  await client.enqueue("greet", { name: 42 });
  // @ts-expect-error: a name no job has
  await client.enqueue("greeet", { name: "Ada" });
  // @ts-expect-error: resize's payload, not greet's
  await client.enqueue("greet", { url: "https://example.com/a.png" });
  // @ts-expect-error: a definition's payload is checked too
  await client.enqueue(resize, { name: "Ada" });
  // @ts-expect-error: a definition the client was not given
  await client.enqueue(defineJob({ name: "other", input: z.string(), handler: () => {} }), "x");
  // @ts-expect-error: prepare checks the payload as enqueue does
  client.prepare("greet", {});
  // @ts-expect-error: a client without jobs enqueues nothing
  await createJobClient({ queue, jobs: [] }).enqueue("greet", { name: "Ada" });

  const files = createJobClient({ queue, jobs: [{ file: "jobs/greet.ts", definition: greet }] });
  // @ts-expect-error: the files' definitions type the client too
  await files.enqueue("greet", { name: false });
}
