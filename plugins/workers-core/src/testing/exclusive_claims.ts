import { equal } from "node:assert/strict";
import type { JobQueue } from "../ports/job_queue.ts";

/**
 * Checks that queues sharing one store never hand a job to two workers:
 * enqueues `count` jobs through the first queue, then drains them with
 * four claimers per queue at once, and asserts every job was claimed
 * exactly once and is running. Pass queues on separate connections (or
 * pools) to the same, empty store.
 *
 * @param queues Two or more queues on the same store.
 * @param count How many jobs to enqueue. @default {500}
 *
 * @example
 * ```ts ignore
 * import { assertExclusiveClaims } from "@netscript/plugin-workers-core/testing";
 * import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
 *
 * const url = Deno.env.get("DATABASE_URL")!;
 * const queues = [createPostgresJobQueue({ url }), createPostgresJobQueue({ url })];
 * await assertExclusiveClaims(queues);
 * ```
 */
export async function assertExclusiveClaims(
  queues: readonly JobQueue[],
  count = 500,
): Promise<void> {
  await queues[0]!.enqueueMany(Array.from({ length: count }, (_, i) => ({ name: "x", input: i })));
  const drain = async (queue: JobQueue, workerId: string) => {
    const ids: string[] = [];
    for (;;) {
      const jobs = await queue.claim({ workerId, limit: 7, leaseMs: 60_000, names: ["x"] });
      if (jobs.length === 0) return ids;
      ids.push(...jobs.map((job) => job.id));
    }
  };
  const claimed = (await Promise.all(
    queues.flatMap((queue, q) => [0, 1, 2, 3].map((w) => drain(queue, `q${q}-w${w}`))),
  )).flat();
  equal(claimed.length, count, "every job claimed");
  equal(new Set(claimed).size, count, "no job claimed twice");
  equal((await queues.at(-1)!.stats()).running, count);
}
