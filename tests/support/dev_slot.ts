/**
 * One `netscript dev` at a time across the test files that `deno test
 * --parallel` runs at once. Every runner asks for the app's port 3000 and
 * its plugins' default ports: two runners that start together can both find
 * a port free and then race to bind it, and the loser's service crashes and
 * restarts. Test files hold this slot while a runner of theirs is alive.
 *
 * @module
 */
import { join } from "node:path";
import { cliProcessArgs } from "./cli.ts";

const LOCK = join(Deno.env.get("TMPDIR") ?? "/tmp", "netscript-tests-dev-runner.lock");

/** Slots held by this process: tests in one file may run two runners at once. */
let held = 0;

function _alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function _lock(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const file = await Deno.open(LOCK, { write: true, createNew: true });
      await file.write(new TextEncoder().encode(String(Deno.pid)));
      file.close();
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const owner = Number(await Deno.readTextFile(LOCK).catch(() => ""));
    if (Number.isInteger(owner) && owner > 0 && !_alive(owner)) {
      await Deno.remove(LOCK).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited 10 minutes for ${LOCK}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits for the slot (or takes it again when this process holds it).
 *
 * @returns Releases the slot once; also `await using`-disposable.
 */
export async function devSlot(): Promise<AsyncDisposable & { release(): Promise<void> }> {
  if (held === 0) await _lock();
  held++;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    held--;
    if (held === 0) await Deno.remove(LOCK).catch(() => {});
  };
  return { release, [Symbol.asyncDispose]: release };
}

/**
 * Spawns a `netscript dev` runner while holding the slot, and gives the slot
 * back when the runner exits.
 *
 * @param command The runner's command.
 * @returns The running runner.
 */
export async function spawnDevRunner(command: Deno.Command): Promise<Deno.ChildProcess> {
  const slot = await devSlot();
  try {
    const child = command.spawn();
    child.status.finally(slot.release);
    return child;
  } catch (error) {
    await slot.release();
    throw error;
  }
}

/**
 * Starts `netscript dev --json` in a workspace the way the tests run it:
 * through {@linkcode spawnDevRunner} (one runner at a time across test
 * files), colours off, no stdin, stdout and stderr piped.
 *
 * @param root The workspace.
 * @param flags More flags after `--json`.
 * @param env More variables.
 * @returns The runner.
 */
export function spawnDevJson(
  root: string,
  flags: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<Deno.ChildProcess> {
  return spawnDevRunner(
    new Deno.Command(Deno.execPath(), {
      args: cliProcessArgs("dev", "--json", ...flags),
      cwd: root,
      env: { NO_COLOR: "1", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }),
  );
}
