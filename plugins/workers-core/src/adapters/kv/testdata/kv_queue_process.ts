/**
 * A second process on a test's KV file. `claim <path>`: prints
 * `{"ready":true}`, claims and completes jobs named "x" five at a time until
 * none is left, then prints `{"claimed":[ids]}`. `hold <path> <kindLimit>`:
 * prints `{"ready":true}`, claims jobs named "x" one at a time under that
 * `kindLimit` for half a second without finishing them, then prints
 * `{"claimed":[ids]}`. `enqueue <path>`: enqueues one job named "x" and
 * prints `{"enqueued":id}`. `once <path>`: prints `{"ready":true}`, then
 * calls `enqueueOnce` with the keys `k0` to `k19` at once and prints
 * `{"ids":[ids]}`, in key order. `wait <path>`: waits for work once, for at
 * most a minute, prints `{"ready":true}` while waiting and
 * `{"woke":true,"queued":n}` after. `watch <path> <pairs>`: calls
 * `watchStates` with the `(name, state)` pairs given as JSON and prints
 * `{"watched":n}`, the number of pairs.
 *
 * @module
 */
import { openKvJobQueue } from "../mod.ts";

const [mode, path, argument] = Deno.args;
const queue = await openKvJobQueue(path);
try {
  if (mode === "watch") {
    const pairs = JSON.parse(argument!);
    await queue.watchStates(pairs);
    console.log(JSON.stringify({ watched: pairs.length }));
  } else if (mode === "enqueue") {
    const { id } = await queue.enqueue({ name: "x", input: "from another process" });
    console.log(JSON.stringify({ enqueued: id }));
  } else if (mode === "once") {
    console.log(JSON.stringify({ ready: true }));
    const ids = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await queue.enqueueOnce(`k${i}`, { name: "x", input: "child" })).id,
      ),
    );
    console.log(JSON.stringify({ ids }));
  } else if (mode === "wait") {
    await queue.stats();
    await queue.waitForWork(0);
    const waiting = queue.waitForWork(60_000);
    console.log(JSON.stringify({ ready: true }));
    await waiting;
    console.log(JSON.stringify({ woke: true, queued: (await queue.stats()).queued }));
  } else if (mode === "hold") {
    console.log(JSON.stringify({ ready: true }));
    const claimed: string[] = [];
    const until = Date.now() + 500;
    while (Date.now() < until) {
      const jobs = await queue.claim({
        workerId: "child",
        limit: 1,
        leaseMs: 60_000,
        names: ["x"],
        kindLimit: Number(argument),
      });
      claimed.push(...jobs.map((job) => job.id));
    }
    console.log(JSON.stringify({ claimed }));
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
