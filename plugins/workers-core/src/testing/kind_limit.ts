import { equal, ok } from "node:assert/strict";
import type { JobQueue } from "../ports/job_queue.ts";

/**
 * Checks that queues sharing one store keep a job kind's `kindLimit`
 * together: enqueues `count` jobs of one name, then drains them with four
 * claimers per queue at once, each holding its jobs a few milliseconds
 * before completing them, and asserts that no more than `kindLimit` were
 * ever held at once and that every job ran exactly once. Pass queues on
 * separate connections (or pools) to the same, empty store.
 *
 * @param queues Two or more queues on the same store.
 * @param options How many jobs, and the limit to keep.
 *
 * @example
 * ```ts ignore
 * import { assertKindLimitShared } from "@netscript/plugin-workers-core/testing";
 * import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
 *
 * const url = Deno.env.get("DATABASE_URL")!;
 * await assertKindLimitShared([createPostgresJobQueue({ url }), createPostgresJobQueue({ url })]);
 * ```
 */
export async function assertKindLimitShared(
  queues: readonly JobQueue[],
  { count = 60, kindLimit = 3 }: { count?: number; kindLimit?: number } = {},
): Promise<void> {
  await queues[0]!.enqueueMany(
    Array.from({ length: count }, (_, i) => ({ name: "limited", input: i })),
  );
  const held = new Set<string>();
  const done: string[] = [];
  let most = 0;
  const deadline = Date.now() + 60_000;
  const drain = async (queue: JobQueue, workerId: string) => {
    for (;;) {
      const jobs = await queue.claim({
        workerId,
        limit: 2,
        leaseMs: 60_000,
        names: ["limited"],
        kindLimit,
      });
      if (jobs.length === 0) {
        if (done.length === count) return;
        ok(Date.now() < deadline, `only ${done.length} of ${count} jobs ran within a minute`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      for (const job of jobs) held.add(job.id);
      most = Math.max(most, held.size);
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const job of jobs) {
        // Out of the held set before the store frees its place, so the set
        // never counts a job the store no longer counts.
        held.delete(job.id);
        done.push(job.id);
        ok(await queue.complete(job.id, workerId));
      }
    }
  };
  await Promise.all(
    queues.flatMap((queue, q) => [0, 1, 2, 3].map((w) => drain(queue, `q${q}-w${w}`))),
  );
  ok(most <= kindLimit, `at most ${kindLimit} held at once, saw ${most}`);
  equal(most, kindLimit, "the limit was reached, so the check could have failed");
  equal(new Set(done).size, count, "every job ran exactly once");
}
