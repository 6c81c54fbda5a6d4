import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { z } from "zod";
import { isNetScriptError } from "@netscript/contracts/errors";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { defineJob } from "../dsl/define_job.ts";
import { createJobClient } from "./job_client.ts";

const email = defineJob({
  name: "email",
  input: z.object({ to: z.email(), subject: z.string().min(1) }),
  handler: () => {},
  priority: 3,
  retry: { attempts: 4 },
  uniqueKey: ({ to }) => `email:${to}`,
});

Deno.test("enqueue stores validated input with the job's defaults", async () => {
  const queue = new MemoryJobQueue();
  const client = createJobClient({ queue, jobs: [email] });
  const { id } = await client.enqueue(email, { to: "a@example.com", subject: "Hi" });
  const job = (await queue.get(id))!;
  deepEqual(job.input, { to: "a@example.com", subject: "Hi" });
  equal(job.priority, 3);
  equal(job.maxAttempts, 4);
  equal(job.uniqueKey, "email:a@example.com");
  const again = await client.enqueue("email", { to: "a@example.com", subject: "Again" });
  deepEqual(again, { id, deduplicated: true });
});

Deno.test("enqueue with an onceKey adds the job once, even after it finished", async () => {
  const queue = new MemoryJobQueue();
  const client = createJobClient({ queue, jobs: [email] });
  const first = await client.enqueue(email, { to: "a@example.com", subject: "Hi" }, {
    onceKey: "delivery-1",
    uniqueKey: "first",
  });
  equal(first.deduplicated, false);
  const [claimed] = await queue.claim({
    workerId: "w",
    limit: 1,
    leaseMs: 60_000,
    names: ["email"],
  });
  ok(await queue.complete(claimed!.id, "w"));
  const again = await client.enqueue("email", { to: "b@example.com", subject: "Other" }, {
    onceKey: "delivery-1",
  });
  deepEqual(again, { id: first.id, deduplicated: true });
  const other = await client.enqueue("email", { to: "a@example.com", subject: "Hi" }, {
    onceKey: "delivery-2",
  });
  equal(other.deduplicated, false);
  equal((await queue.list()).total, 2);
});

Deno.test("enqueue refuses an invalid onceKey or input before writing anything", async () => {
  const queue = new MemoryJobQueue();
  const client = createJobClient({ queue, jobs: [email] });
  await client.enqueue("email", { to: "a@example.com", subject: "Hi" }, { onceKey: "" }).then(
    () => ok(false, "should fail"),
    (error) => ok(error instanceof RangeError),
  );
  await client.enqueue("email", { to: "nope", subject: "Hi" }, { onceKey: "k" }).then(
    () => ok(false, "should fail"),
    (error) => ok(isNetScriptError(error, "WORKERS_INVALID_INPUT")),
  );
  equal((await queue.list()).total, 0);
  const added = await client.enqueue("email", { to: "a@example.com", subject: "Hi" }, {
    onceKey: "k",
  });
  equal(added.deduplicated, false);
});

Deno.test("invalid input is refused with its issues and nothing is enqueued", async () => {
  const queue = new MemoryJobQueue();
  const client = createJobClient({ queue, jobs: [email] });
  await client.enqueue("email", { to: "nope", subject: "" }).then(
    () => ok(false, "should fail"),
    (error) => {
      ok(isNetScriptError(error, "WORKERS_INVALID_INPUT"));
      deepEqual(
        (error.details.issues as { path: string[] }[]).map((i) => i.path.join(".")).sort(),
        ["subject", "to"],
      );
    },
  );
  equal((await queue.list()).total, 0);
});

Deno.test("an input holding text no store can keep is refused with its paths", () => {
  const note = defineJob({
    name: "note",
    input: z.record(z.string(), z.string()),
    handler: () => {},
  });
  const client = createJobClient({ queue: new MemoryJobQueue(), jobs: [note] });
  throws(() => client.prepare("note", { ok: "fine", body: "a\u0000b", "\uD800": "x" }), (error) => {
    ok(isNetScriptError(error, "WORKERS_INVALID_INPUT"));
    deepEqual((error.details.issues as { path: string[] }[]).map((i) => i.path), [
      ["body"],
      ["\uD800"],
    ]);
    ok(error.message.includes("NUL character or a lone surrogate"), error.message);
    return true;
  });
});

Deno.test("an unknown job name is refused, naming the known ones", () => {
  const client = createJobClient({ queue: new MemoryJobQueue(), jobs: [email] });
  // @ts-expect-error: a name the client does not know, to see the run-time refusal
  throws(() => client.prepare("sms", {}), (error) => {
    ok(isNetScriptError(error, "WORKERS_UNKNOWN_JOB"));
    ok(error.message.includes('"email"'));
    return true;
  });
});

Deno.test("two definitions with one name are refused", () => {
  throws(
    () => createJobClient({ queue: new MemoryJobQueue(), jobs: [email, email] }),
    (error) => isNetScriptError(error, "WORKERS_DUPLICATE_JOB"),
  );
});

Deno.test("a client takes the files of a generated definitions module as its jobs", async () => {
  const queue = new MemoryJobQueue();
  const client = createJobClient({ queue, jobs: [{ file: "jobs/email.ts", definition: email }] });
  deepEqual([...client.jobs.keys()], ["email"]);
  const { id } = await client.enqueue("email", { to: "b@example.com", subject: "Hi" });
  equal((await queue.get(id))!.name, "email");
});
