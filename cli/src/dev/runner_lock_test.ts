import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { startReadyProcess } from "./testdata/ready_process.ts";
import { inspectProcess } from "./inspect_process.ts";
import { acquireRunnerLock, LOCK_FILE, type RunnerLockRecord } from "./runner_lock.ts";

/** Runs `use` in a temporary workspace root, removed afterwards. */
async function withRoot(use: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "netscript-lock-" });
  try {
    await use(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Writes a lock file as another runner would have. */
async function writeLock(root: string, record: Partial<RunnerLockRecord>): Promise<void> {
  await Deno.mkdir(join(root, ".netscript/dev"), { recursive: true });
  await Deno.writeTextFile(
    join(root, LOCK_FILE),
    JSON.stringify({ since: "2026-01-01T00:00:00.000Z", processStart: null, urls: {}, ...record }),
  );
}

/** Starts a Deno process that runs until it is killed. */
async function startIdleDeno(): Promise<Deno.ChildProcess> {
  return (await startReadyProcess("setInterval(() => {}, 1_000);")).child;
}

async function reap(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // it exited
  }
  await child.status;
}

async function deadPid(): Promise<number> {
  const gone = new Deno.Command("true").spawn();
  await gone.status;
  return gone.pid;
}

async function lockExists(root: string): Promise<boolean> {
  try {
    await Deno.stat(join(root, LOCK_FILE));
    return true;
  } catch {
    return false;
  }
}

Deno.test("acquireRunnerLock() holds the lock until it is released", async (t) => {
  await withRoot(async (root) => {
    const lock = await acquireRunnerLock(root);
    await t.step("the file names this process", async () => {
      const record = JSON.parse(await Deno.readTextFile(join(root, LOCK_FILE)));
      equal(record.pid, Deno.pid);
      equal(record.processStart, (await inspectProcess(Deno.pid))?.started);
    });
    await t.step("a second acquire is refused with the pid and the URLs", async () => {
      await lock.setUrls({ api: "http://localhost:3001" });
      await rejects(acquireRunnerLock(root), (error: unknown) => {
        ok(error instanceof NetScriptError);
        equal(error.code, "DEV_ALREADY_RUNNING");
        equal(error.details.pid, Deno.pid);
        deepEqual(error.details.urls, { api: "http://localhost:3001" });
        ok(error.message.includes(`pid ${Deno.pid}`), error.message);
        ok(error.message.includes("api http://localhost:3001"), error.message);
        return true;
      });
    });
    await t.step("release removes the file, and the lock can be taken again", async () => {
      await lock.release();
      equal(await lockExists(root), false);
      const again = await acquireRunnerLock(root);
      await again.release();
    });
  });
});

Deno.test("acquireRunnerLock() refuses while another live runner holds the lock", async () => {
  const other = await startIdleDeno();
  try {
    await withRoot(async (root) => {
      const started = (await inspectProcess(other.pid))!.started;
      await writeLock(root, { pid: other.pid, processStart: started });
      let tookOver = false;
      await rejects(
        acquireRunnerLock(root, { onTakeOver: () => tookOver = true }),
        (error: unknown) => error instanceof NetScriptError && error.details.pid === other.pid,
      );
      equal(tookOver, false);
      equal(JSON.parse(await Deno.readTextFile(join(root, LOCK_FILE))).pid, other.pid);
    });
  } finally {
    await reap(other);
  }
});

Deno.test("acquireRunnerLock() takes over a lock whose runner no longer runs", async (t) => {
  const cases: [
    string,
    () => Promise<{ pid: number; processStart?: string; done?: () => Promise<void> }>,
  ][] = [
    ["a dead pid", async () => ({ pid: await deadPid() })],
    ["a pid that is not a Deno process", () => {
      const sleeper = new Deno.Command("sleep", { args: ["60"] }).spawn();
      return Promise.resolve({ pid: sleeper.pid, done: () => reap(sleeper) });
    }],
    ["a Deno process started at another time (a reused pid)", async () => {
      const other = await startIdleDeno();
      return { pid: other.pid, processStart: "Thu Jan  1 00:00:00 1970", done: () => reap(other) };
    }],
  ];
  for (const [name, make] of cases) {
    await t.step(name, async () => {
      const stale = await make();
      try {
        await withRoot(async (root) => {
          await writeLock(root, {
            pid: stale.pid,
            ...(stale.processStart ? { processStart: stale.processStart } : {}),
          });
          const notices: (RunnerLockRecord | undefined)[] = [];
          const lock = await acquireRunnerLock(root, { onTakeOver: (s) => notices.push(s) });
          deepEqual(notices.map((s) => s?.pid), [stale.pid]);
          equal(JSON.parse(await Deno.readTextFile(join(root, LOCK_FILE))).pid, Deno.pid);
          await lock.release();
        });
      } finally {
        await stale.done?.();
      }
    });
  }
  await t.step("an unreadable lock", async () => {
    await withRoot(async (root) => {
      await Deno.mkdir(join(root, ".netscript/dev"), { recursive: true });
      await Deno.writeTextFile(join(root, LOCK_FILE), "{ not json");
      const notices: (RunnerLockRecord | undefined)[] = [];
      const lock = await acquireRunnerLock(root, { onTakeOver: (s) => notices.push(s) });
      deepEqual(notices, [undefined]);
      await lock.release();
    });
  });
});

Deno.test("release() leaves a lock another runner has taken since", async () => {
  await withRoot(async (root) => {
    const lock = await acquireRunnerLock(root);
    await writeLock(root, { pid: 1, since: "2026-02-02T00:00:00.000Z" });
    await lock.setUrls({ api: "http://localhost:3000" });
    await lock.release();
    const record = JSON.parse(await Deno.readTextFile(join(root, LOCK_FILE)));
    equal(record.pid, 1);
    deepEqual(record.urls, {}, "setUrls() did not write over it either");
  });
});

Deno.test("acquireRunnerLock() called twice at once over a stale lock gives it to exactly one", async () => {
  await withRoot(async (root) => {
    await writeLock(root, { pid: await deadPid() });
    const results = await Promise.allSettled([acquireRunnerLock(root), acquireRunnerLock(root)]);
    // Both run in this process, so the loser sees a live runner: itself.
    equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const rejected = results.find((r) => r.status === "rejected");
    ok(rejected && (rejected.reason as NetScriptError).code === "DEV_ALREADY_RUNNING");
    for (const r of results) if (r.status === "fulfilled") await r.value.release();
  });
});
