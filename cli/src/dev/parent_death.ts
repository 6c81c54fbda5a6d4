/**
 * How the runner ties its children's lives to its own, so that a runner
 * killed outright (SIGKILL, an OOM kill, a closed terminal) takes its
 * processes with it instead of leaving them serving ports.
 *
 * On Linux each child is started through util-linux's `setpriv
 * --pdeathsig SIGTERM`, which asks the kernel to send the child SIGTERM
 * when the runner exits, then replaces itself with `deno` (same pid, no
 * extra process). Elsewhere, or without `setpriv`, children are started
 * directly and the next `netscript dev` stops what a killed runner left.
 *
 * @module
 */

/** A program and the arguments that come before `deno`'s own. */
export interface Launcher {
  /** The program to run. */
  command: string;
  /** Arguments before the Deno arguments. */
  prefix: string[];
  /** Whether children die with the runner. */
  tied: boolean;
}

/**
 * Finds how to start children tied to the runner on this machine.
 *
 * @returns The launcher: `setpriv` on Linux when present, else `deno` itself.
 */
export async function findLauncher(): Promise<Launcher> {
  const direct = { command: Deno.execPath(), prefix: [], tied: false };
  if (Deno.build.os !== "linux") return direct;
  try {
    const probe = await new Deno.Command("setpriv", {
      args: ["--pdeathsig", "SIGTERM", "--", "true"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!probe.success) return direct;
  } catch {
    return direct;
  }
  return {
    command: "setpriv",
    prefix: ["--pdeathsig", "SIGTERM", "--", Deno.execPath()],
    tied: true,
  };
}
