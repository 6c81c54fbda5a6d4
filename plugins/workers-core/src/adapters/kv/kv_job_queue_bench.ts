import { openKvJobQueue } from "./mod.ts";

const JOBS = 5_000;

Deno.bench({
  name: `claim (limit 50) + complete, ${JOBS} jobs on a KV file`,
  n: 3,
  warmup: 0,
  async fn(b) {
    const dir = await Deno.makeTempDir({ prefix: "netscript-kv-bench-" });
    const queue = await openKvJobQueue(`${dir}/queue.sqlite3`);
    try {
      await queue.enqueueMany(
        Array.from({ length: JOBS }, (_, i) => ({ name: "x", input: { i } })),
      );
      b.start();
      let done = 0;
      for (;;) {
        const jobs = await queue.claim({ workerId: "w", limit: 50, leaseMs: 30_000, names: ["x"] });
        if (jobs.length === 0) break;
        for (const job of jobs) await queue.complete(job.id, "w");
        done += jobs.length;
      }
      b.end();
      if (done !== JOBS) throw new Error(`Processed ${done} of ${JOBS} jobs`);
    } finally {
      await queue.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
