import { deepEqual, equal, rejects } from "node:assert/strict";
import { MemoryJobQueue } from "../adapters/memory/mod.ts";
import { completionBatch } from "./completion_batch.ts";

/** A memory queue that records each completeMany call and can be made to fail. */
class RecordingQueue extends MemoryJobQueue {
  calls: string[][] = [];
  failing = false;
  override async completeMany(ids: readonly string[], workerId: string): Promise<string[]> {
    this.calls.push([...ids]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (this.failing) throw new Error("the store is down");
    return super.completeMany(ids, workerId);
  }
}

async function claimed(queue: MemoryJobQueue, count: number): Promise<string[]> {
  await queue.enqueueMany(Array.from({ length: count }, (_, i) => ({ name: "x", input: i })));
  const jobs = await queue.claim({ workerId: "w", limit: count, leaseMs: 60_000, names: ["x"] });
  return jobs.map((job) => job.id);
}

Deno.test("completions that arrive during a write go together in the next one", async () => {
  const queue = new RecordingQueue();
  const ids = await claimed(queue, 7);
  const complete = completionBatch(queue, "w");
  const first = complete(ids[0]!);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const rest = ids.slice(1).map((id) => complete(id));
  deepEqual(await Promise.all([first, ...rest]), ids.map(() => true));
  deepEqual(queue.calls, [[ids[0]], ids.slice(1)]);
  equal((await queue.stats()).completed, 7);
});

Deno.test("a job the worker no longer holds resolves false; a store failure rejects its batch", async () => {
  const queue = new RecordingQueue();
  const [held, lost, later] = await claimed(queue, 3) as [string, string, string];
  await queue.release(lost, "w");
  const complete = completionBatch(queue, "w");
  deepEqual(await Promise.all([complete(held), complete(lost)]), [true, false]);
  queue.failing = true;
  await rejects(complete(later), /the store is down/);
  queue.failing = false;
  equal(await complete(later), true, "the next write goes ahead");
});
