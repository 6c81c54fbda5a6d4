import { deepEqual, equal } from "node:assert/strict";
import { DeadlineQueue } from "./deadline_queue.ts";

Deno.test("deadlines expire in the order they started; one that is done never does", async () => {
  const queue = new DeadlineQueue(30);
  const expired: string[] = [];
  const first = queue.start();
  const second = queue.start();
  const third = queue.start();
  for (
    const [name, deadline] of [["first", first], ["second", second], ["third", third]] as const
  ) {
    deadline.expired.then(() => expired.push(name));
  }
  second.done();
  await Promise.all([first.expired, third.expired]);
  deepEqual(expired, ["first", "third"]);
  first.done();
});

Deno.test("a deadline started later is not expired early with the one before it", async () => {
  const queue = new DeadlineQueue(60);
  const early = queue.start();
  await new Promise((resolve) => setTimeout(resolve, 40));
  const late = queue.start();
  let lateExpired = false;
  late.expired.then(() => lateExpired = true);
  equal(await early.expired, "timed_out");
  equal(lateExpired, false, "the later deadline is still running");
  equal(await late.expired, "timed_out");
});

Deno.test("many deadlines done in and out of order leave the queue working", async () => {
  const queue = new DeadlineQueue(20);
  const started = Array.from({ length: 5_000 }, () => queue.start());
  for (let i = 0; i < started.length; i += 2) started[i]!.done();
  for (let i = 1; i < started.length; i += 2) started[i]!.done();
  const last = queue.start();
  equal(await last.expired, "timed_out");
});
