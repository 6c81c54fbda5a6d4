import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { startReadyProcess } from "./testdata/ready_process.ts";
import { STATE_FILE } from "./state_table.ts";
import { stopLeftovers } from "./stop_leftovers.ts";

/** Starts a process that runs until it is killed; `code` runs first. */
function startIdle(code = ""): ReturnType<typeof startReadyProcess> {
  return startReadyProcess(`${code}\nsetInterval(() => {}, 1_000);`);
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const gone = new Deno.Command("true").spawn();
  await gone.status;
  return gone.pid;
}

/** Runs `use` in a temporary root whose state file records `runner` and `pids`. */
async function withState(
  runner: number,
  pids: (number | null)[],
  use: (root: string) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "netscript-leftovers-" });
  try {
    await Deno.mkdir(join(root, ".netscript/dev"), { recursive: true });
    await Deno.writeTextFile(
      join(root, STATE_FILE),
      JSON.stringify({ runner, resources: pids.map((pid, i) => ({ name: `r${i}`, pid })) }),
    );
    await use(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Kills what a test left running and waits for it. */
async function reap(...children: Deno.ChildProcess[]): Promise<void> {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // it exited
    }
    await child.status;
  }
}

Deno.test("stopLeftovers() does nothing without a readable state file", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-leftovers-" });
  try {
    deepEqual(await stopLeftovers(root), []);
    await Deno.mkdir(join(root, ".netscript/dev"), { recursive: true });
    await Deno.writeTextFile(join(root, STATE_FILE), "{ not json");
    deepEqual(await stopLeftovers(root), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("stopLeftovers() stops the Deno processes of a runner that is gone", async () => {
  const leftover = await startIdle();
  const other = new Deno.Command("sleep", { args: ["600"] }).spawn();
  try {
    await withState(await deadPid(), [null, leftover.child.pid, other.pid], async (root) => {
      deepEqual(await stopLeftovers(root), [leftover.child.pid]);
      equal((await leftover.child.status).signal, "SIGTERM");
      await leftover.output;
      deepEqual(await stopLeftovers(root), [], "nothing is left the second time");
      other.kill("SIGKILL");
      equal(
        (await other.status).signal,
        "SIGKILL",
        "a process that is not Deno (a reused pid) was left running",
      );
    });
  } finally {
    await reap(leftover.child, other);
  }
});

Deno.test("stopLeftovers() leaves the processes of a runner that still runs alone", async () => {
  const runner = await startIdle();
  const resource = await startIdle();
  try {
    await withState(runner.child.pid, [resource.child.pid], async (root) => {
      deepEqual(await stopLeftovers(root), []);
    });
  } finally {
    await reap(runner.child, resource.child);
    await runner.output;
    await resource.output;
  }
});

Deno.test("stopLeftovers() kills a leftover that ignores SIGTERM after its grace", async () => {
  const stubborn = await startIdle('Deno.addSignalListener("SIGTERM", () => {});');
  try {
    await withState(await deadPid(), [stubborn.child.pid], async (root) => {
      deepEqual(await stopLeftovers(root), [stubborn.child.pid]);
      equal((await stubborn.child.status).signal, "SIGKILL");
      await stubborn.output;
    });
  } finally {
    await reap(stubborn.child);
  }
});
