import { join } from "node:path";
import { isDenoProcess } from "./inspect_process.ts";
import { STATE_FILE } from "./state_table.ts";

/** How long a leftover may take to exit after SIGTERM before it gets SIGKILL. */
const GRACE_MS = 5_000;

/**
 * Stops processes a previous runner left behind when it was killed before it
 * could stop them (its pid in `state.json` is gone but theirs are still
 * Deno processes).
 *
 * @param root The workspace root.
 * @returns The pids that were stopped.
 * @example
 * ```ts
 * import { stopLeftovers } from "./stop_leftovers.ts";
 *
 * const stopped = await stopLeftovers(Deno.cwd());
 * console.log(`stopped ${stopped.length} leftover processes`);
 * ```
 */
export async function stopLeftovers(root: string): Promise<number[]> {
  let previous: { runner?: number; resources?: { pid: number | null }[] };
  try {
    previous = JSON.parse(await Deno.readTextFile(join(root, STATE_FILE)));
  } catch {
    return [];
  }
  if (previous.runner === undefined || await isDenoProcess(previous.runner)) return [];
  const stopped: number[] = [];
  for (const { pid } of previous.resources ?? []) {
    if (pid === null || !(await isDenoProcess(pid))) continue;
    try {
      Deno.kill(pid, "SIGTERM");
      stopped.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  const deadline = Date.now() + GRACE_MS;
  for (const pid of stopped) {
    while (await isDenoProcess(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (await isDenoProcess(pid)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
  }
  return stopped;
}
