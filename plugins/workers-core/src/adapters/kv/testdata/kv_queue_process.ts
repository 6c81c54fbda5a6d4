/**
 * A second process on a test's KV file. `claim <path>`: prints
 * `{"ready":true}`, claims and completes jobs named "x" five at a time until
 * none is left, then prints `{"claimed":[ids]}`. `enqueue <path>`: enqueues
 * one job named "x" and prints `{"enqueued":id}`.
 *
 * @module
 */
import { openKvJobQueue } from "../mod.ts";

const [mode, path] = Deno.args;
const queue = await openKvJobQueue(path);
try {
  if (mode === "enqueue") {
    const { id } = await queue.enqueue({ name: "x", input: "from another process" });
    console.log(JSON.stringify({ enqueued: id }));
  } else {
    console.log(JSON.stringify({ ready: true }));
    const claimed: string[] = [];
    for (;;) {
      const jobs = await queue.claim({
        workerId: "child",
        limit: 5,
        leaseMs: 60_000,
        names: ["x"],
      });
      if (jobs.length === 0) break;
      for (const job of jobs) {
        if (!await queue.complete(job.id, "child")) throw new Error(`Lost job ${job.id}`);
        claimed.push(job.id);
      }
    }
    console.log(JSON.stringify({ claimed }));
  }
} finally {
  await queue.close();
}
