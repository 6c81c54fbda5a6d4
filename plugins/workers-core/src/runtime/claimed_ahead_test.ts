import { deepEqual, equal } from "node:assert/strict";
import type { JobRecord } from "../ports/job_queue.ts";
import { ClaimedAhead } from "./claimed_ahead.ts";

const record = (id: string, priority = 0) => ({ id, name: "mail", priority }) as JobRecord;
const takeAll = (queue: ClaimedAhead) => {
  const ids: string[] = [];
  for (let job = queue.take(10); job; job = queue.take(10)) ids.push(job.id);
  return ids;
};

Deno.test("ClaimedAhead starts jobs by priority, then in claim order", () => {
  const queue = new ClaimedAhead();
  queue.add([record("a", 1), record("b", 0), record("c", 0)]);
  queue.add([record("d", 0), record("e", 5), record("f", 1)]);
  equal(queue.size, 6);
  deepEqual(queue.ids(), ["e", "a", "f", "b", "c", "d"]);
  deepEqual(takeAll(queue), ["e", "a", "f", "b", "c", "d"]);
  equal(queue.take(10), undefined);
});

Deno.test("ClaimedAhead tells when it drains to half its size", () => {
  const queue = new ClaimedAhead();
  queue.add(["a", "b", "c", "d"].map((id) => record(id)));
  let drained = 0;
  queue.drained.once(() => drained++);
  queue.take(4);
  equal(drained, 0, "3 held, above the low-water mark of 2");
  queue.take(4);
  equal(drained, 1, "2 held");
  queue.drained.once(() => drained++);
  queue.take(0);
  equal(drained, 1, "a queue of size 0 (off) never fires");
});

Deno.test("ClaimedAhead trims the jobs that start last, and removes lost jobs", () => {
  const queue = new ClaimedAhead();
  queue.add(["a", "b", "c", "d"].map((id) => record(id)));
  deepEqual(queue.trim(2).map((job) => job.id), ["c", "d"]);
  deepEqual(queue.remove(new Set(["a", "x"])).map((job) => job.id), ["a"]);
  deepEqual(queue.ids(), ["b"]);
  deepEqual(queue.remove(new Set(["x"])), []);
  deepEqual(queue.trim(0).map((job) => job.id), ["b"]);
  equal(queue.size, 0);
});
