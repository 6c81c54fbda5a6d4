/** Options of {@linkcode stopProcess}. */
export interface StopProcessOptions {
  /**
   * How long the process may take to exit after SIGTERM before it gets SIGKILL.
   * @default {5000}
   */
  graceMs?: number;
}

/**
 * Stops a child process in order: SIGTERM, then SIGKILL if it is still
 * running after the grace period. A process that already exited is left as
 * it is.
 *
 * @param child The process to stop.
 * @param options The grace period.
 * @returns Its exit status, once it has exited.
 * @example
 * ```ts
 * import { stopProcess } from "./stop_process.ts";
 *
 * const child = new Deno.Command(Deno.execPath(), { args: ["eval", "setInterval(() => {}, 1000)"] })
 *   .spawn();
 * const status = await stopProcess(child, { graceMs: 1_000 });
 * console.log(status.signal); // "SIGTERM"
 * ```
 */
export async function stopProcess(
  child: Deno.ChildProcess,
  options: StopProcessOptions = {},
): Promise<Deno.CommandStatus> {
  try {
    child.kill("SIGTERM");
  } catch {
    // It already exited: its status is settled or about to be.
    return await child.status;
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // It exited just now.
    }
  }, options.graceMs ?? 5_000);
  try {
    return await child.status;
  } finally {
    clearTimeout(timer);
  }
}
