import { equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { openKvJobQueue } from "./mod.ts";

Deno.test("openKvJobQueue() reports a path that is not a KV store as STORE_UNAVAILABLE", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-queue-" });
  try {
    const garbage = `${dir}/garbage.sqlite3`;
    await Deno.writeTextFile(garbage, "not a database ".repeat(100));
    const cases = {
      "a file that is not a database": garbage,
      "a folder": dir,
      "a file in a missing folder": `${dir}/missing/queue.sqlite3`,
      "a path under a file": `${garbage}/queue.sqlite3`,
    };
    for (const [what, path] of Object.entries(cases)) {
      await t.step(what, async () => {
        await rejects(openKvJobQueue(path), (error) => {
          ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
          equal(error.details.path, path);
          ok(error.message.includes(`"${path}"`), error.message);
          return true;
        });
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openKvJobQueue() opens a new file and closes it with the queue", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-queue-" });
  try {
    const queue = await openKvJobQueue(`${dir}/queue.sqlite3`);
    await queue.enqueue({ name: "x", input: null });
    await queue.close();
    const again = await openKvJobQueue(`${dir}/queue.sqlite3`);
    equal((await again.stats()).queued, 1);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openKvJobQueue() creates a missing folder only when asked to", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-queue-" });
  try {
    const path = `${dir}/data/nested/queue.sqlite3`;
    await rejects(openKvJobQueue(path), (error) => isNetScriptError(error, "STORE_UNAVAILABLE"));
    const queue = await openKvJobQueue(path, { createFolder: true });
    equal((await queue.stats()).queued, 0);
    await queue.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
