/**
 * Reads how much CPU time a process has used, from Linux's
 * `/proc/<pid>/stat`. CPU time per request is a steadier measure of what a
 * server costs than requests per second, which drops whenever other work
 * shares the machine. Deno only lets a process read `/proc` with
 * `--allow-all`, so the file is read with `cat`, which the benchmark's
 * `--allow-run` already permits.
 *
 * @module
 */

/** Linux reports utime and stime in clock ticks of 1/100 s (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/**
 * Returns the user plus system CPU seconds a process has used, over all
 * its threads.
 *
 * @param pid The process id.
 * @returns The CPU seconds, or `undefined` off Linux.
 */
export async function readProcessCpuSeconds(pid: number): Promise<number | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  const output = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`] }).output();
  if (!output.success) {
    throw new Error(
      `Cannot read the CPU time of process ${pid}: cat /proc/${pid}/stat exited with code ${output.code}`,
    );
  }
  const stat = new TextDecoder().decode(output.stdout);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / TICKS_PER_SECOND;
}
